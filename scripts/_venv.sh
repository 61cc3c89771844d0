# Sourced by scripts/test and scripts/app: a project virtualenv with youthwork installed (editable) and dev tools.
# Works under Linux, macOS and Git Bash on Windows (where a venv keeps its programs in Scripts/, not bin/).
VENV="${YOUTHWORK_VENV:-.venv}"
bin_of() { if [ -d "$1/Scripts" ] && [ ! -d "$1/bin" ]; then echo "$1/Scripts"; else echo "$1/bin"; fi; }
if [ ! -x "$(bin_of "$VENV")/python" ] && [ ! -x "$(bin_of "$VENV")/python.exe" ]; then
  "$(command -v python3 || command -v python)" -m venv "$VENV"
fi
VENV_BIN="$(bin_of "$VENV")"
PY="$VENV_BIN/python"
stamp="$VENV/.installed-$("$PY" -c 'import hashlib,sys; print(hashlib.sha1(open("pyproject.toml","rb").read()).hexdigest()[:12])')"
if [ ! -f "$stamp" ]; then
  "$PY" -m pip install -q --disable-pip-version-check -e '.[dev,server]'
  touch "$stamp"
fi
