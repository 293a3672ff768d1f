#!/bin/bash
# package.sh - the examiner's kit: installing custos, its man pages and its
# completion, and the Debian package.
#
# cmake --install into a prefix gives bin/custos (which runs), eight man
# pages that man --warnings renders without a warning, each with its
# synopsis, options, exit status, examples and files, and a bash completion
# that registers for custos and completes commands, options, option values
# and evidence files; README and COPYING under share/doc/custos.  Then
# cpack -G DEB makes custos_VERSION_ARCH.deb, with dependencies computed
# from the shared libraries, in which lintian finds no error; in CI
# (CI=true) and as root, dpkg -i gives a working /usr/bin/custos with its
# pages and completion, and dpkg -r removes every file again.
#
# BUILD_DIR/install_manifest.txt lists what the user's own install of
# custos put where (they uninstall by it), and cmake --install rewrites it:
# the install here runs the install script cmake --install runs, from a copy
# that writes its manifest into the test's directory.  cpack rewrites it
# too: it is kept aside and put back.  Where BUILD_DIR is not this user's to
# write, the package (cpack builds there) is left out with a note.
set -euo pipefail
. "$(dirname "$0")/common.sh"
: "${BUILD_DIR:?BUILD_DIR must name the build directory}"
for t in man lintian cpack dpkg-deb dpkg-shlibdeps; do need "$t"; done
version=$("$CUSTOS" --version | sed -n 's/^custos //p')
pages="custos custos-acquire custos-verify custos-info custos-export custos-mount custos-convert custos-custody custos-report custos-devices"

manifest="$BUILD_DIR/install_manifest.txt"
kept=no
put_back() { # the user's manifest as it was, or none as there was none
	if [ -e "$work/manifest.keep" ]; then cp -p "$work/manifest.keep" "$manifest"; else rm -f "$manifest"; fi
	kept=no
}
installed=no
cleanup_package() {
	set +e # a cleanup must run to its end
	if [ "$installed" = yes ]; then dpkg -r custos >/dev/null 2>&1; fi
	if [ "$kept" = yes ]; then put_back; fi
	chmod -R u+w "$work" 2>/dev/null
	rm -rf "$work"
}
trap cleanup_package EXIT

# ---- cmake --install into a prefix (its script, the manifest written here)
p="$work/prefix"
script=$(<"$BUILD_DIR/cmake_install.cmake")
at="file(WRITE \"$BUILD_DIR/\${CMAKE_INSTALL_MANIFEST}\""
[[ "$script" == *"$at"* ]] || fail "$BUILD_DIR/cmake_install.cmake does not write its manifest where expected"
printf '%s\n' "${script//"$at"/"file(WRITE \"$work/\${CMAKE_INSTALL_MANIFEST}\""}" >"$work/cmake_install.cmake"
cmake -DCMAKE_INSTALL_PREFIX="$p" -P "$work/cmake_install.cmake" >"$work/install.log" 2>&1 ||
	fail "cmake --install: $(tail -3 "$work/install.log")"
[ -s "$work/install_manifest.txt" ] || fail "cmake --install wrote no manifest"
"$p/bin/custos" --version >"$work/version.txt" || fail "the installed custos does not run"
grep -q "^libewf " "$work/version.txt" || fail "the installed custos does not name libewf"
n=0
for page in $pages; do
	f="$p/share/man/man1/$page.1.gz"
	[ -f "$f" ] || fail "no man page $page(1)"
	warnings=$(LC_ALL=C.UTF-8 man --warnings -l "$f" 2>&1 >"$work/$page.txt")
	[ -z "$warnings" ] || fail "$page(1) renders with warnings: $warnings"
	for section in NAME SYNOPSIS DESCRIPTION OPTIONS "EXIT STATUS" EXAMPLES FILES "SEE ALSO"; do
		grep -q "^$section\$" "$work/$page.txt" || fail "$page(1) has no $section"
	done
	n=$((n + 1))
done
[ "$n" = 10 ] || fail "$n man pages, not 10"
# man finds them under the prefix (and not, through MANPATH, some other install)
[ "$(man -M "$p/share/man" -w custos-verify)" = "$p/share/man/man1/custos-verify.1.gz" ] ||
	fail "man -M $p/share/man -w custos-verify: $(man -M "$p/share/man" -w custos-verify 2>&1)"
# every option of --help is in the page
for cmd in acquire verify info export custody report devices; do
	"$CUSTOS" "$cmd" --help | grep -o -- '--[a-z][a-z0-9-]*' | sort -u | while read -r opt; do
		grep -q -- "$opt" "$work/custos-$cmd.txt" || fail "custos-$cmd(1) lacks $opt"
	done
done
grep -q "Exit status\|0: the source was acquired whole" "$work/custos-acquire.txt" ||
	fail "custos-acquire(1) lacks its exit status"
for f in README.md COPYING; do
	cmp -s "$p/share/doc/custos/$f" "$(dirname "$0")/../../$f" || fail "share/doc/custos/$f"
done
pass

# ---- the completion
comp="$p/share/bash-completion/completions/custos"
complete_words() { # complete_words WORD...: what the completion offers for the last word
	bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _custos
		printf "%s\n" "${COMPREPLY[@]}"' _ "$comp" "$@"
}
bash -c 'source "$1"; complete -p custos' _ "$comp" >"$work/complete.txt" || true
grep -q -- "-F _custos custos" "$work/complete.txt" || fail "the completion does not register for custos"
complete_words custos ac | grep -x acquire >/dev/null || fail "completion: custos ac"
complete_words custos acquire --comp | grep -x -- --compression >/dev/null || fail "completion: --comp"
[ "$(complete_words custos acquire --compression "" | sort | tr '\n' ' ')" = "best deflate empty fast lz4 none snappy " ] ||
	fail "completion: the values of --compression"
complete_words custos custody "" | grep -x verify >/dev/null || fail "completion: custody's verbs"
mkdir "$work/case"
touch "$work/case/disk.E01" "$work/case/disk.E02" "$work/case/notes.txt"
(cd "$work/case" && complete_words custos verify "") >"$work/comp.txt"
grep -qx disk.E01 "$work/comp.txt" || fail "completion: evidence files"
grep -q "disk.E02\|notes.txt" "$work/comp.txt" && fail "completion offers files that are no first segment"
complete_words custos report -o "" >/dev/null || fail "completion: a file option"
pass

# ---- the Debian package
if [ ! -w "$BUILD_DIR" ]; then
	echo "note: cpack builds in $BUILD_DIR, which this user cannot write; the package is left out" >&2
	echo "package: $checks checks passed"
	exit 0
fi
if [ -e "$manifest" ]; then cp -p "$manifest" "$work/manifest.keep"; fi
kept=yes
cpack --config "$BUILD_DIR/CPackConfig.cmake" -G DEB -B "$work/pkg" >"$work/cpack.log" 2>&1 ||
	fail "cpack -G DEB: $(tail -3 "$work/cpack.log")"
put_back
deb="$work/pkg/custos_${version}_$(dpkg --print-architecture).deb"
[ -f "$deb" ] || fail "no $(basename "$deb"): $(ls "$work/pkg")"
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libc6 libewf2 libssl3 libxml2 libdeflate0; do
	grep -q "$lib" <<<"$depends" || fail "the package does not depend on $lib: $depends"
done
dpkg-deb -c "$deb" >"$work/contents.txt"
grep -q "usr/share/doc/custos/copyright$" "$work/contents.txt" || fail "no copyright file"
grep -q "usr/share/doc/custos/changelog.gz$" "$work/contents.txt" || fail "no changelog"
set +e
lintian --allow-root "$deb" >"$work/lintian.txt" 2>&1
rc=$?
set -e
# exit 1 is errors found (listed below); more is lintian failing to judge at all
[ "$rc" -le 1 ] || fail "lintian did not run (exit $rc): $(tail -3 "$work/lintian.txt")"
grep -q "^E: " "$work/lintian.txt" && fail "lintian finds errors: $(grep '^E: ' "$work/lintian.txt")"
pass

# installing into the system: only on a machine that is there for it
left_out() {
	echo "note: $*; dpkg -i and -r are left out" >&2
	echo "package: $checks checks passed"
	exit 0
}
[ "${CI:-}" = true ] || left_out "they install into the system, which only CI (CI=true) does"
[ "$(id -u)" = 0 ] || left_out "they need root (CI runs this as root)"
if dpkg-query -W -f='${Status}' custos 2>/dev/null | grep "install ok installed" >/dev/null; then
	left_out "a custos package is installed already"
fi
# a container image may exclude man pages from packages: this package's are wanted
installed=yes
dpkg --path-include='/usr/share/man/man1/custos*' -i "$deb" >"$work/dpkg.log" 2>&1 ||
	fail "dpkg -i: $(tail -3 "$work/dpkg.log")"
/usr/bin/custos --version >"$work/version.txt" || fail "the installed /usr/bin/custos does not run"
grep -q "^custos $version$" "$work/version.txt" || fail "the installed /usr/bin/custos"
# the pages where the package put them (MANPATH could name another install first)
[ "$(man -M /usr/share/man -w custos-verify)" = /usr/share/man/man1/custos-verify.1.gz ] ||
	fail "man -M /usr/share/man -w custos-verify: $(man -M /usr/share/man -w custos-verify 2>&1)"
[ -z "$(LC_ALL=C.UTF-8 man -M /usr/share/man --warnings custos-acquire 2>&1 >/dev/null)" ] ||
	fail "man custos-acquire warns"
bash -c 'source /usr/share/bash-completion/completions/custos; complete -p custos' \
	>"$work/complete.txt" || true
grep -q _custos "$work/complete.txt" || fail "the installed completion"
files=$(dpkg -L custos | while read -r f; do [ -f "$f" ] && echo "$f"; done)
dpkg -r custos >"$work/dpkg.log" 2>&1 || fail "dpkg -r: $(tail -3 "$work/dpkg.log")"
installed=no
for f in $files; do
	[ -e "$f" ] && fail "dpkg -r left $f"
done
[ -e /usr/bin/custos ] && fail "dpkg -r left /usr/bin/custos"
pass
echo "package: $checks checks passed"
