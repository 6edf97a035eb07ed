#!/usr/bin/env bash
# System packages the tests need: Chromium (browser tests), a CJK font (Chinese in the browser),
# bubblewrap (sandboxed grading), and for the workshop-server tests PostgreSQL, Node.js with npm
# and Debian's python3 with venv (deploy/setup.sh builds its environment from /usr/bin/python3).
# Installs them with apt-get when run as root; otherwise says what is missing and exits non-zero.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
fc-list :lang=zh 2>/dev/null | grep -q . || missing+=(fonts-noto-cjk)
command -v bwrap >/dev/null 2>&1 || missing+=(bubblewrap)
# WeasyPrint (printed handbook, kits, certificates) needs Pango
ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0' || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
/usr/bin/python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || missing+=(python3 python3-venv)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "安装系统软件包：${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" fontconfig >/dev/null
  exit 0
fi
echo "缺少系统软件包：${missing[*]}" >&2
echo "请用管理员权限安装：sudo apt-get install -y ${missing[*]}" >&2
exit 1
