#!/usr/bin/env bash
# Build dist/youthwork-<version>.dmg holding Youthwork.app, signed and notarised when the identity is given.
#
#   packaging/build.sh                   # PyInstaller: dist/Youthwork.app (the spec's BUNDLE step on macOS)
#   YOUTHWORK_SIGN_IDENTITY="Developer ID Application: Borough Council (TEAMID)" \
#   YOUTHWORK_NOTARY_PROFILE=youthwork-notary packaging/macos/build-dmg.sh
#
# The notary profile is made once with `xcrun notarytool store-credentials youthwork-notary --apple-id ...
# --team-id ... --password <app-specific password>`. Without an identity the app is left unsigned (for testing only:
# Gatekeeper refuses it on a managed Mac).
set -euo pipefail
cd "$(dirname "$0")/../.."
version=$(sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)
app=dist/Youthwork.app
[ -d "$app" ] || bash packaging/build.sh
identity=${YOUTHWORK_SIGN_IDENTITY:-}
if [ -n "$identity" ]; then
  # Inside out: every library and executable, then the app, with the hardened runtime notarisation requires.
  find "$app/Contents" -type f \( -name '*.dylib' -o -name '*.so' -o -perm -u+x \) -print0 |
    xargs -0 codesign --force --timestamp --options runtime --entitlements packaging/macos/entitlements.plist -s "$identity"
  codesign --force --timestamp --options runtime --entitlements packaging/macos/entitlements.plist -s "$identity" "$app"
  codesign --verify --deep --strict "$app"
else
  echo "warning: YOUTHWORK_SIGN_IDENTITY is not set, so Youthwork.app is unsigned" >&2
fi
dmg=dist/youthwork-$version.dmg
rm -f "$dmg"
hdiutil create -volname youthwork -srcfolder "$app" -ov -format UDZO "$dmg"
if [ -n "$identity" ]; then
  codesign --force --timestamp -s "$identity" "$dmg"
  if [ -n "${YOUTHWORK_NOTARY_PROFILE:-}" ]; then
    xcrun notarytool submit "$dmg" --keychain-profile "$YOUTHWORK_NOTARY_PROFILE" --wait
    xcrun stapler staple "$dmg"
  fi
fi
echo "Built $dmg"
