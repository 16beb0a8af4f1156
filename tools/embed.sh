#!/bin/sh
# Writes an assembly file that embeds the given files in the library, with a table
#   const struct ttm_embedded_file ttm_embedded[] = {{name, data, size}, ..., {0}}
# Arguments are NAME=PATH (firmware/brisc.elf=build/firmware/brisc.elf). Each file is
# followed by a NUL byte so text files can be used as C strings.
set -e
echo '    .section .note.GNU-stack,"",@progbits'
echo '    .section .rodata'
i=0
for arg in "$@"; do
    name=${arg%%=*}
    path=${arg#*=}
    echo "    .balign 16"
    echo "file$i: .incbin \"$path\""
    echo "file${i}_end: .byte 0"
    echo "name$i: .asciz \"$name\""
    i=$((i + 1))
done
echo '    .section .data.rel.ro'
echo '    .balign 8'
echo '    .globl ttm_embedded'
echo '    .hidden ttm_embedded'
echo 'ttm_embedded:'
i=0
for arg in "$@"; do
    echo "    .quad name$i, file$i, file${i}_end - file$i"
    i=$((i + 1))
done
echo '    .quad 0, 0, 0'
