#!/bin/sh
# Runs isoloir-inspect on the journal test vectors and compares its output with the expected
# text: small.journal (valid, exit 0) -> inspect.txt; damaged.journal (a flipped ciphertext bit
# in row 4 and row 7 deleted, exit 1) -> inspect-damaged.txt.
# usage: inspect_vector.sh INSPECT VECTOR_DIR
set -eu
inspect=$1
dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$dir/small.journal" "$dir/damaged.journal" "$dir/package.isoloir" "$dir/authority.pub" "$work/"
cd "$work"
check() { # journal expected-output expected-status
    status=0
    "$inspect" "$1" --package package.isoloir --authority authority.pub --require-close \
        --expect-ballots 4 > out.txt || status=$?
    if [ "$status" != "$3" ]; then
        cat out.txt
        echo "$1: exit status $status, expected $3"
        exit 1
    fi
    diff -u "$dir/$2" out.txt
}
check small.journal inspect.txt 0
check damaged.journal inspect-damaged.txt 1
# A usage error exits 2 and prints the usage.
status=0
"$inspect" small.journal > out.txt 2>&1 || status=$?
[ "$status" = 2 ] && grep -q "usage: isoloir-inspect" out.txt || { echo "usage: status $status"; exit 1; }
