#!/usr/bin/env bash
# Install a built bundle (dist/youthwork) with its launcher, icons and AppStream metadata.
#
#   packaging/install-linux.sh --user               # for one user: ~/.local/{lib,bin,share}
#   sudo packaging/install-linux.sh --system        # for every user: /opt/youthwork, /usr/local/bin, /usr/share
#   packaging/install-linux.sh --prefix DIR [--bundle DIR]   # anywhere (DIR/lib/youthwork, DIR/bin, DIR/share)
#   packaging/install-linux.sh --uninstall --user|--system|--prefix DIR
#
# Files written (PREFIX = ~/.local, /usr or DIR):
#   app folder      PREFIX/lib/youthwork/ (or /opt/youthwork/ with --system)
#   command         PREFIX/bin/youthwork  (/usr/local/bin/youthwork with --system), a symlink to the folder's executable
#   launcher        PREFIX/share/applications/youthwork.desktop, Exec set to the command's full path
#   metadata        PREFIX/share/metainfo/uk.org.youthwork.Youthwork.metainfo.xml
#   icons           PREFIX/share/icons/hicolor/{16x16..512x512,scalable}/apps/youthwork.{png,svg}
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"

usage() { sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

mode="" prefix="" appdir="" bindir="" bundle="$here/dist/youthwork" uninstall=0
while [ $# -gt 0 ]; do
  case "$1" in
    --user) mode=user; prefix="$HOME/.local" ;;
    --system) mode=system; prefix=/usr; appdir=/opt/youthwork; bindir=/usr/local/bin ;;
    --prefix) mode=prefix; prefix="${2:?--prefix needs a folder}"; shift ;;
    --bundle) bundle="${2:?--bundle needs a folder}"; shift ;;
    --uninstall) uninstall=1 ;;
    -h | --help) usage ;;
    *) echo "Unknown option: $1" >&2; usage ;;
  esac
  shift
done
[ -n "$mode" ] || usage
appdir="${appdir:-$prefix/lib/youthwork}"
bindir="${bindir:-$prefix/bin}"
share="$prefix/share"
sizes="16 24 32 48 64 128 256 512"
metainfo="uk.org.youthwork.Youthwork.metainfo.xml"

refresh_caches() {
  # Both are optional: desktops pick up new files on their own, these only make it immediate.
  command -v update-desktop-database >/dev/null && update-desktop-database -q "$share/applications" || true
  command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$share/icons/hicolor" || true
}

if [ "$uninstall" = 1 ]; then
  rm -rf "$appdir"
  rm -f "$bindir/youthwork" "$share/applications/youthwork.desktop" "$share/metainfo/$metainfo"
  for s in $sizes; do rm -f "$share/icons/hicolor/${s}x${s}/apps/youthwork.png"; done
  rm -f "$share/icons/hicolor/scalable/apps/youthwork.svg"
  refresh_caches
  echo "Removed youthwork from $prefix (profiles under each user's data folder are kept)."
  exit 0
fi

if [ ! -x "$bundle/youthwork" ]; then
  echo "No bundle at $bundle: build it first with packaging/build.sh." >&2
  exit 1
fi

# The app folder: copy to a new folder and swap it in, so a running copy is never half-overwritten.
mkdir -p "$(dirname "$appdir")" "$bindir"
rm -rf "$appdir.new"
cp -a "$bundle" "$appdir.new"
rm -rf "$appdir.old"
[ -e "$appdir" ] && mv "$appdir" "$appdir.old"
chmod -R a+rX "$appdir.new"
mv "$appdir.new" "$appdir"
rm -rf "$appdir.old"
ln -sfn "$appdir/youthwork" "$bindir/youthwork"

# The launcher points at the full path, so it works even where $bindir is not on the desktop session's PATH.
install -d "$share/applications" "$share/metainfo"
sed -e "s|^Exec=youthwork|Exec=$bindir/youthwork|" -e "s|^TryExec=youthwork|TryExec=$bindir/youthwork|" \
  "$here/resources/youthwork.desktop" >"$share/applications/youthwork.desktop"
chmod 644 "$share/applications/youthwork.desktop"
install -m 644 "$here/resources/$metainfo" "$share/metainfo/$metainfo"
for s in $sizes; do
  install -D -m 644 "$here/resources/icons/app/youthwork-$s.png" "$share/icons/hicolor/${s}x${s}/apps/youthwork.png"
done
install -D -m 644 "$here/resources/icons/app/youthwork.svg" "$share/icons/hicolor/scalable/apps/youthwork.svg"
refresh_caches
echo "Installed youthwork: $appdir, command $bindir/youthwork, launcher $share/applications/youthwork.desktop."
