#!/bin/sh
# Re-create the vendored front-end assets from npm (run by hand when bumping a version;
# the results are committed so a machine without network or npm can run the portal).
#
#   static/vendor/pretendard/  Pretendard Regular, subset to ASCII + the 2,350 Hangul
#                              syllables of KS X 1001 + a few symbols the UI prints (OFL-1.1)
#   static/vendor/htmx/        htmx (BSD-0-Clause)
#   tests/vendor/axe-core/     axe-core, loaded by the browser tests only (MPL-2.0)
#
# Needs npm and fonttools with brotli (pip install fonttools brotli, in a scratch venv).
set -eu
PRETENDARD=1.3.9
HTMX=2.0.11
AXE=4.14.1
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
npm pack --silent "pretendard@$PRETENDARD" "htmx.org@$HTMX" "axe-core@$AXE" >/dev/null
for f in *.tgz; do mkdir "${f%.tgz}" && tar xzf "$f" -C "${f%.tgz}"; done

# KS X 1001 Hangul: the EUC-KR rows 0xB0-0xC8 (the syllables Korean names and words use).
python3 -c "
chars = []
for hi in range(0xB0, 0xC9):
    for lo in range(0xA1, 0xFF):
        try:
            chars.append(bytes([hi, lo]).decode('euc-kr'))
        except UnicodeDecodeError:
            pass
open('hangul.txt', 'w').write(''.join(chars))
"
# One weight only: a second one would push the first load over 300 KB; bold text is
# synthesised by the browser. No hinting, kerning only: about 160 KB instead of 790 KB.
pyftsubset "pretendard-$PRETENDARD/package/dist/public/static/Pretendard-Regular.otf" \
  --text-file=hangul.txt \
  --unicodes="U+0020-007E,U+00A0,U+00B7,U+00D7,U+2013,U+2014,U+2018,U+2019,U+201C,U+201D,U+2026,U+2190-2193,U+2605,U+2606,U+2713,U+270E,U+3131-3163" \
  --layout-features=kern --no-hinting --desubroutinize --flavor=woff2 \
  --output-file="$ROOT/static/vendor/pretendard/Pretendard-Regular.ks-x-1001.woff2"
cp "pretendard-$PRETENDARD/package/dist/LICENSE.txt" "$ROOT/static/vendor/pretendard/LICENSE.txt"
cp "htmx.org-$HTMX/package/dist/htmx.min.js" "htmx.org-$HTMX/package/LICENSE" "$ROOT/static/vendor/htmx/"
cp "axe-core-$AXE/package/axe.min.js" "axe-core-$AXE/package/LICENSE" "$ROOT/tests/vendor/axe-core/"
