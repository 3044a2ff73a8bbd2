# Sourced by the other scripts: make sure .venv exists with Python 3.11 and the project installed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

find_python() {
  for candidate in "${TEND_PYTHON:-}" python3.11 python3 python; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  echo "Tend needs Python 3.11 (set TEND_PYTHON to its path)." >&2
  return 1
}

if [ ! -x .venv/bin/python ]; then
  PYTHON="$(find_python)"
  echo "Creating .venv with $PYTHON …" >&2
  "$PYTHON" -m venv .venv
fi
# Reinstall only when the dependency list changed.
stamp=".venv/.tend-installed"
want="$(.venv/bin/python -c 'import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],"rb").read()).hexdigest())' pyproject.toml)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "Installing Tend and its dependencies into .venv …" >&2
  .venv/bin/python -m pip install --quiet --upgrade pip >&2
  .venv/bin/python -m pip install --quiet -e '.[dev]' >&2
  echo "$want" >"$stamp"
fi
export PATH="$ROOT/.venv/bin:$PATH"
