#!/bin/sh
# Rebuilds the sheet pages shown in docs/ from the example protocols, one page of each example,
# so a reader sees what `protokit build` and `protokit render` make, and the HTML twin on a
# phone. Needs protokit on PATH, pdftoppm and pdftotext (poppler-utils) and, for the phone
# screenshot, Chromium (/usr/bin/chromium). Run from anywhere: sh docs/images/make-images.sh
#
# Each page's text, as pdftotext reads it, goes to sheet-pages.txt with the command that made
# the sheet: tests/render/test_doc_images.py prints each sheet again and fails when its text
# has changed, so that the pictures are made again when the sheets change (they showed a
# prescriber's row and "clinician" wording that the sheets no longer had).
set -eu
cd "$(dirname "$0")/../.."
sheets=$(mktemp -d)
trap 'rm -rf "$sheets"' EXIT
record="$sheets/sheet-pages.txt"
cat >"$record" <<'EOF'
# The text of each sheet page pictured in docs/images, written by make-images.sh with the
# picture (do not edit): "== PICTURE: page N of: COMMAND", then the page as pdftotext -raw
# reads it. tests/render/test_doc_images.py runs each command again and compares.
EOF

page() {  # page IMAGE-NAME PAGE-NUMBER-OR-last PROTOKIT-RENDER-ARGUMENTS...
  image=$1 wanted=$2
  shift 2
  protokit render "$@" -o "$sheets/$image.pdf" >/dev/null
  number=$wanted
  if [ "$wanted" = last ]; then
    number=$(pdfinfo "$sheets/$image.pdf" | awk '/^Pages:/ {print $2}')
  fi
  pdftoppm -r 100 -png -singlefile -f "$number" -l "$number" "$sheets/$image.pdf" \
      "docs/images/$image"
  printf '== %s.png: page %s of: protokit render %s\n' "$image" "$wanted" "$*" >>"$record"
  pdftotext -raw -f "$number" -l "$number" "$sheets/$image.pdf" - | tr -d '\f' >>"$record"
}
page sheet-psoas-stretch-glute-bridge-page1 1 protocols/psoas-stretch-glute-bridge.json \
    --prescription docs/examples/prescription-psoas.json
page sheet-abdominal-strength-lower-back-release-page2 2 \
    protocols/abdominal-strength-lower-back-release.json
page sheet-hip-flexor-stretch-programme-page2 2 protocols/hip-flexor-stretch-programme.json
page sheet-mid-back-ankle-hip-mobility-page3 3 protocols/mid-back-ankle-hip-mobility.json
page sheet-smr-dynamic-hip-mobility-log last protocols/smr-dynamic-hip-mobility.json
mv "$record" docs/images/sheet-pages.txt
protokit render protocols/psoas-stretch-glute-bridge.json --format html -o "$sheets/psoas.html"
if [ -x /usr/bin/chromium ]; then
  /usr/bin/chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
      --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
      --user-data-dir="$sheets/chromium" --window-size=390,1600 \
      --screenshot="$PWD/docs/images/sheet-psoas-stretch-glute-bridge-phone.png" \
      "file://$sheets/psoas.html" 2>/dev/null
fi
