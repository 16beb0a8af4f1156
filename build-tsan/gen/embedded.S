    .section .note.GNU-stack,"",@progbits
    .section .rodata
    .balign 16
file0: .incbin "build-tsan/firmware/brisc.elf"
file0_end: .byte 0
name0: .asciz "firmware/brisc.elf"
    .balign 16
file1: .incbin "build-tsan/firmware/ncrisc.elf"
file1_end: .byte 0
name1: .asciz "firmware/ncrisc.elf"
    .balign 16
file2: .incbin "build-tsan/firmware/prefetch.elf"
file2_end: .byte 0
name2: .asciz "firmware/prefetch.elf"
    .balign 16
file3: .incbin "build-tsan/firmware/dispatch.elf"
file3_end: .byte 0
name3: .asciz "firmware/dispatch.elf"
    .balign 16
file4: .incbin "build-tsan/firmware/dispatch_sub.elf"
file4_end: .byte 0
name4: .asciz "firmware/dispatch_sub.elf"
    .balign 16
file5: .incbin "include/ttm/blackhole.h"
file5_end: .byte 0
name5: .asciz "header/ttm/blackhole.h"
    .balign 16
file6: .incbin "include/ttm/kernel/abi.h"
file6_end: .byte 0
name6: .asciz "header/ttm/kernel/abi.h"
    .balign 16
file7: .incbin "include/ttm/kernel/args.h"
file7_end: .byte 0
name7: .asciz "header/ttm/kernel/args.h"
    .balign 16
file8: .incbin "include/ttm/kernel/cb.h"
file8_end: .byte 0
name8: .asciz "header/ttm/kernel/cb.h"
    .balign 16
file9: .incbin "include/ttm/kernel/dataflow.h"
file9_end: .byte 0
name9: .asciz "header/ttm/kernel/dataflow.h"
    .balign 16
file10: .incbin "include/ttm/kernel/interleaved.h"
file10_end: .byte 0
name10: .asciz "header/ttm/kernel/interleaved.h"
    .balign 16
file11: .incbin "include/ttm/kernel/noc.h"
file11_end: .byte 0
name11: .asciz "header/ttm/kernel/noc.h"
    .balign 16
file12: .incbin "include/ttm/kernel/libstdcxx/features.h"
file12_end: .byte 0
name12: .asciz "header/ttm/kernel/libstdcxx/features.h"
    .section .data.rel.ro
    .balign 8
    .globl ttm_embedded
    .hidden ttm_embedded
ttm_embedded:
    .quad name0, file0, file0_end - file0
    .quad name1, file1, file1_end - file1
    .quad name2, file2, file2_end - file2
    .quad name3, file3, file3_end - file3
    .quad name4, file4, file4_end - file4
    .quad name5, file5, file5_end - file5
    .quad name6, file6, file6_end - file6
    .quad name7, file7, file7_end - file7
    .quad name8, file8, file8_end - file8
    .quad name9, file9, file9_end - file9
    .quad name10, file10, file10_end - file10
    .quad name11, file11, file11_end - file11
    .quad name12, file12, file12_end - file12
    .quad 0, 0, 0
