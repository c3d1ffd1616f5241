#!/bin/sh
# Rebuilds the sheet pages shown in docs/ from the example protocols, one page of each example,
# so a reader sees what `protokit build` and `protokit render` make, and the HTML twin on a
# phone. Needs protokit on PATH, pdftoppm (poppler-utils) and, for the phone screenshot,
# Chromium (/usr/bin/chromium). Run from anywhere: sh docs/images/make-images.sh
set -eu
cd "$(dirname "$0")/../.."
sheets=$(mktemp -d)
trap 'rm -rf "$sheets"' EXIT
protokit build protocols -o "$sheets" --no-bundle --quiet
protokit render protocols/psoas-stretch-glute-bridge.json \
    --prescription docs/examples/prescription-psoas.json -o "$sheets/personalised.pdf"

page() {  # page PDF-NAME PAGE IMAGE-NAME
    pdftoppm -r 100 -png -singlefile -f "$2" -l "$2" "$sheets/$1.pdf" "docs/images/$3"
}
page personalised 1 sheet-psoas-stretch-glute-bridge-page1
page abdominal-strength-lower-back-release 2 sheet-abdominal-strength-lower-back-release-page2
page hip-flexor-stretch-programme 2 sheet-hip-flexor-stretch-programme-page2
page mid-back-ankle-hip-mobility 3 sheet-mid-back-ankle-hip-mobility-page3
last=$(pdfinfo "$sheets/smr-dynamic-hip-mobility.pdf" | awk '/^Pages:/ {print $2}')
page smr-dynamic-hip-mobility "$last" sheet-smr-dynamic-hip-mobility-log
protokit render protocols/psoas-stretch-glute-bridge.json --format html -o "$sheets/psoas.html"
if [ -x /usr/bin/chromium ]; then
  /usr/bin/chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
      --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
      --user-data-dir="$sheets/chromium" --window-size=390,1600 \
      --screenshot="$PWD/docs/images/sheet-psoas-stretch-glute-bridge-phone.png" \
      "file://$sheets/psoas.html" 2>/dev/null
fi
