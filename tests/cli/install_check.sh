#!/bin/sh
# cmake --install into a temporary prefix, then use what it installed as a
# user would: the binary runs, man renders pginit(1) without troff warnings
# and with every subcommand, and the bash completion lists the subcommands
# and a command's options. With DEB=1 also builds the .deb with CPack and
# checks its file list and dependencies.
# Usage: install_check.sh BUILD_DIR WORK_DIR
set -eu
build=$1
work=$2
rm -rf "$work"
mkdir -p "$work"
prefix=$work/prefix
fail() { echo "FAIL: $*"; exit 1; }

cmake --install "$build" --prefix "$prefix" >/dev/null
[ -x "$prefix/bin/pginit" ] || fail "no bin/pginit"
"$prefix/bin/pginit" --version | grep -q '^pginit ' || fail "bin/pginit --version"
"$prefix/bin/pginit" run -q "$(dirname "$0")/../../scenarios/default.yaml" || fail "bin/pginit run"

page=$prefix/share/man/man1/pginit.1
[ -f "$page" ] || fail "no share/man/man1/pginit.1"
# groff's warnings (-ww) about the troff itself go to stderr: there must be none.
MANWIDTH=100 man -l "$page" 2>"$work/man.err" >"$work/man.txt" || fail "man -l failed"
if command -v groff >/dev/null; then
  groff -man -Tutf8 -ww -z "$page" 2>>"$work/man.err"
fi
[ ! -s "$work/man.err" ] || { cat "$work/man.err"; fail "troff warnings"; }
for cmd in run page memblock sweep predict "kconfig check" "import dmesg" "import config"; do
  grep -q "pginit $cmd" "$work/man.txt" || fail "man page lacks 'pginit $cmd'"
done
grep -q -- "--trace-out" "$work/man.txt" || fail "man page lacks run's --trace-out"
grep -q "EXIT STATUS" "$work/man.txt" || fail "man page lacks EXIT STATUS"

comp=$prefix/share/bash-completion/completions/pginit
[ -f "$comp" ] || fail "no share/bash-completion/completions/pginit"
complete_words() {  # the completions of the words "$@" (the last one being completed)
  bash -c '. "$0"; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _pginit; printf "%s\n" "${COMPREPLY[@]}"' "$comp" pginit "$@"
}
subs=$(complete_words "")
for cmd in run page memblock sweep predict kconfig import; do
  echo "$subs" | grep -qx "$cmd" || fail "completion of 'pginit ' lacks $cmd"
done
complete_words run --q | grep -qx -- "--quiet" || fail "completion of 'pginit run --q'"
complete_words kconfig "" | grep -qx check || fail "completion of 'pginit kconfig '"
complete_words import dmesg -- | grep -qx -- "--config" || fail "completion of 'pginit import dmesg --'"

if [ "${DEB:-0}" = 1 ]; then
  (cd "$work" && cpack -G DEB --config "$build/CPackConfig.cmake" >/dev/null) || fail "cpack -G DEB"
  deb=$(ls "$work"/pginit_*.deb)
  dpkg-deb -c "$deb" >"$work/deb.files"
  dpkg-deb -f "$deb" Depends >"$work/deb.depends"
  grep -q './usr/bin/pginit$' "$work/deb.files" || fail ".deb lacks /usr/bin/pginit"
  grep -q './usr/share/man/man1/pginit.1' "$work/deb.files" || fail ".deb lacks the man page"
  grep -q './usr/share/bash-completion/completions/pginit$' "$work/deb.files" || fail ".deb lacks the completion"
  for dep in libtbb12 libspdlog1.10 libfmt9 libyaml-cpp0.7; do
    grep -q "$dep" "$work/deb.depends" || fail ".deb does not depend on $dep"
  done
fi
echo "install_check: ok"
