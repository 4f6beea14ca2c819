#!/bin/sh
# Builds the example guests into guest/bin (or $OUT) with Debian's clang and
# ld.lld. The committed ELFs must be rebuilt with this script whenever the
# SDK or an example changes (a Go test checks they are up to date).
set -eu
cd "$(dirname "$0")"
OUT=${OUT:-bin}
CC=${CC:-clang}
LD=${LD:-ld.lld}
CFLAGS="--target=riscv32-unknown-elf -march=rv32im -mabi=ilp32 -mno-relax -nostdlib -ffreestanding -fno-builtin -O2 -Wall -Werror -Isdk"
mkdir -p "$OUT"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
$CC $CFLAGS -c sdk/crt0.S -o "$tmp/crt0.o"
for src in examples/*.c; do
	name=$(basename "$src" .c)
	$CC $CFLAGS -c "$src" -o "$tmp/$name.o"
	$LD -T sdk/link.ld --strip-all --build-id=none -o "$OUT/$name.elf" "$tmp/crt0.o" "$tmp/$name.o"
done
