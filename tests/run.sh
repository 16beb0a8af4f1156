#!/bin/sh
# Runs every test binary given on the command line, each under a time limit, and prints
# a line per binary, a line per reason tests were skipped ("skipped N: why"), and one
# closing line: "N passed, N failed, N skipped". A binary that crashes or times out
# counts as one failure beyond the tests it reported. A binary given as kmd:PATH runs with
# TTM_TEST_KMD=1: its devices open through the kmd backend over the fake tt-kmd.
limit=${TEST_TIMEOUT:-300}
passed=0 failed=0 skipped=0
log=$(mktemp)
skips=$(mktemp)
trap 'rm -f "$log" "$skips"' EXIT
for arg in "$@"; do
    bin=${arg#kmd:}
    name=$(basename "$bin")
    kmd=
    [ "$bin" != "$arg" ] && kmd=1 name="$name(kmd)"
    case "$bin" in
    *.py)
        # A sanitizer build's library needs its runtime preloaded into the interpreter.
        if [ -n "$TTM_PY_PRELOAD" ]; then
            LD_PRELOAD="$TTM_PY_PRELOAD" ASAN_OPTIONS=detect_leaks=0 timeout "$limit" "${TTM_PYTHON:-python3}" "$bin" >"$log" 2>&1
        else
            timeout "$limit" "${TTM_PYTHON:-python3}" "$bin" >"$log" 2>&1
        fi
        ;;
    *) TTM_TEST_KMD=$kmd timeout "$limit" "$bin" >"$log" 2>&1 ;;
    esac
    rc=$?
    p=$(grep -c '^PASS ' "$log")
    f=$(grep -c '^FAIL ' "$log")
    s=$(grep -c '^SKIP ' "$log")
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1
        echo "FAIL $name: exited with status $rc"
    fi
    grep -E '^FAIL |^  failed' "$log" | sed "s|^|$name: |"
    # Skips are reported once per reason, after all the binaries.
    grep -E '^  skipped: ' "$log" | sed 's|^  skipped: ||' >>"$skips"
    [ "$rc" -ne 0 ] && tail -n 20 "$log" | grep -vE '^(RUN|PASS) ' | sed "s|^|$name: |"
    echo "$name: $p passed, $f failed, $s skipped"
    passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
done
sort "$skips" | uniq -c | sort -rn | sed 's|^ *\([0-9]*\) |skipped \1: |'
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
