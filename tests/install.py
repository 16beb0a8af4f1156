#!/usr/bin/env python3
"""Installing ttm as a user would: `make install` into a temporary prefix, an outside C
program built with `pkg-config --cflags --libs ttm` and run, the `ttm` command, `make
uninstall` leaving nothing; and `pip install --no-build-isolation ./python` into a fresh
virtual environment, then python/examples/add1.py run with the installed package.

    TTM_BUILD=build tests/install.py

Prints "PASS name" / "FAIL name" / "SKIP name" lines (tests/run.sh counts them)."""

import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
BUILD = os.path.abspath(os.environ.get("TTM_BUILD", os.path.join(ROOT, "build")))

PROGRAM = r"""
#include <stdio.h>
#include <ttm.h>
int main(void) {
    struct ttm_device_opts o = {.argsz = sizeof o, .backend = "emu"};
    struct ttm_device_info info = {.argsz = sizeof info};
    ttm_device *dev;
    if (ttm_device_create_opts(&o, &dev) || ttm_device_info(dev, &info)) {
        fprintf(stderr, "%s\n", ttm_last_error());
        return 1;
    }
    printf("ttm %s: %u workers\n", ttm_version(), info.num_workers);
    return ttm_device_close(dev);
}
"""


def result(name, ok, detail=""):
    print(("PASS " if ok else "FAIL ") + name)
    if not ok:
        for line in str(detail).strip().splitlines()[-20:]:
            print("  failed: " + line)


def skip(name, why):
    print("SKIP " + name)
    print("  skipped: " + why)


def sh(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, **kw)


def installed_files(prefix):
    return sorted(os.path.relpath(os.path.join(d, f), prefix)
                  for d, _, files in os.walk(prefix) for f in files)


def installed_dirs(prefix):
    return sorted(os.path.relpath(os.path.join(d, s), prefix)
                  for d, subdirs, _ in os.walk(prefix) for s in subdirs)


def make(target, prefix):
    """make install or uninstall into ``prefix``, leaving the loader's cache alone."""
    return sh(["make", "-s", "-C", ROOT, target, "PREFIX=" + prefix, "BUILD=" + BUILD,
               "LDCONFIG="])


def test_make_install(tmp):
    name = "make_install_pkg_config_and_uninstall"
    prefix = os.path.join(tmp, "prefix")
    r = make("install", prefix)
    if r.returncode:
        return result(name, False, r.stdout + r.stderr)
    files = installed_files(prefix)
    headers = sorted(os.path.relpath(os.path.join(d, f), ROOT)
                     for d, _, fs in os.walk(os.path.join(ROOT, "include")) for f in fs
                     if f.endswith(".h"))
    for want in ["lib/libttm.so", "lib/libttm.so.0", "lib/libttm.a", "lib/pkgconfig/ttm.pc",
                 "bin/ttm"] + headers:
        if want not in files:
            return result(name, False, want + " was not installed: " + " ".join(files))
    with open(os.path.join(prefix, "lib", "pkgconfig", "ttm.pc")) as f:
        pc = f.read()
    if "libdir=" + os.path.join(prefix, "lib") + "\n" not in pc:
        return result(name, False, "ttm.pc names another libdir:\n" + pc)
    env = dict(os.environ, PKG_CONFIG_PATH=os.path.join(prefix, "lib", "pkgconfig"))
    flags = sh(["pkg-config", "--cflags", "--libs", "ttm"], env=env)
    if flags.returncode:
        return result(name, False, flags.stderr)
    src, exe = os.path.join(tmp, "outside.c"), os.path.join(tmp, "outside")
    with open(src, "w") as f:
        f.write(PROGRAM)
    cc = sh(["cc", "-std=c11", src, "-o", exe] + flags.stdout.split())
    if cc.returncode:
        return result(name, False, cc.stderr)
    run_env = dict(os.environ, LD_LIBRARY_PATH=os.path.join(prefix, "lib"))
    out = sh([exe], env=run_env)
    if out.returncode or "workers" not in out.stdout:
        return result(name, False, out.stdout + out.stderr)
    help_ = sh([os.path.join(prefix, "bin", "ttm"), "--help"], env=run_env)
    if help_.returncode or "usage: ttm" not in help_.stdout:
        return result(name, False, help_.stdout + help_.stderr)
    r = make("uninstall", prefix)
    left = installed_files(prefix) + [d for d in installed_dirs(prefix) if "ttm" in d]
    result(name, not r.returncode and not left, r.stderr + " left: " + " ".join(left))
    return prefix


def python_with_venv():
    """An interpreter that can make a virtual environment with setuptools and wheel in it
    (pip's offline build needs both)."""
    for py in (sys.executable, "/usr/bin/python3"):
        if py and os.path.exists(py) and not sh(
                [py, "-c", "import venv, ensurepip, setuptools, wheel"]).returncode:
            return py
    return None


def test_pip_install(tmp):
    name = "pip_install_into_a_fresh_venv_and_run_an_example"
    py = python_with_venv()
    if not py:
        return skip(name, "no Python with venv, ensurepip, setuptools and wheel (Debian: "
                          "python3-venv python3-setuptools python3-wheel)")
    venv = os.path.join(tmp, "venv")
    r = sh([py, "-m", "venv", "--system-site-packages", venv])
    if r.returncode:
        return result(name, False, r.stderr)
    vpy = os.path.join(venv, "bin", "python")
    # A copy of the package, so the build leaves nothing in the source tree.
    pkg = os.path.join(tmp, "python")
    shutil.copytree(os.path.join(ROOT, "python"), pkg,
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "build"))
    r = sh([vpy, "-m", "pip", "install", "--no-build-isolation", "--no-index", "-q", pkg])
    if r.returncode:
        return result(name, False, r.stdout + r.stderr)
    # Run from elsewhere, with the installed package and the build's library.
    env = dict(os.environ, TTM_LIB=os.path.join(BUILD, "libttm.so"))
    env.pop("PYTHONPATH", None)
    code = ("import ttm, os\n"
            "assert ttm.__file__.startswith(os.environ['VIRTUAL'])\n"
            "with ttm.Device(backend='emu') as dev:\n"
            "    print(dev.info.num_workers, ttm.version())\n")
    env["VIRTUAL"] = venv
    out = sh([vpy, "-c", code], env=env, cwd=tmp)
    if out.returncode or out.stdout.split()[:1] != ["110"]:
        return result(name, False, out.stdout + out.stderr)
    # An example, laid out as in the source tree but with no package beside it, so that
    # the only ttm it can import is the installed one.
    ex = os.path.join(tmp, "ex")
    os.makedirs(os.path.join(ex, "python", "examples"))
    os.makedirs(os.path.join(ex, "examples"))
    for f in ("add1.py", "c_kernels.py"):
        shutil.copy(os.path.join(ROOT, "python", "examples", f),
                    os.path.join(ex, "python", "examples"))
    shutil.copy(os.path.join(ROOT, "examples", "add1_kernels.h"), os.path.join(ex, "examples"))
    out = sh([vpy, os.path.join(ex, "python", "examples", "add1.py"), "1"], env=env, cwd=tmp)
    result(name, not out.returncode and "all correct" in out.stdout, out.stdout + out.stderr)


def main():
    if os.environ.get("TTM_PY_PRELOAD"):
        skip("make_install_pkg_config_and_uninstall", "a sanitizer build is not installed")
        skip("pip_install_into_a_fresh_venv_and_run_an_example", "a sanitizer build")
        return
    with tempfile.TemporaryDirectory(prefix="ttm-install-") as tmp:
        if shutil.which("pkg-config"):
            test_make_install(tmp)
        else:
            skip("make_install_pkg_config_and_uninstall", "pkg-config is not installed")
        test_pip_install(tmp)


main()
