#!/usr/bin/env bash
# Set up (or update) a workshop server on Debian/Ubuntu: system packages, the course's Python
# environment with JupyterHub, configurable-http-proxy from npm, PostgreSQL, accounts, folders.
# Safe to run again: existing accounts, passwords and learners' work are kept.
#
#   sudo deploy/setup.sh [--config /etc/water-course/workshop.yaml] [--prefix /opt/water-course]
#                        [--reset-passwords] [--no-start-postgres]
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
PREFIX=/opt/water-course
CONFIG=/etc/water-course/workshop.yaml
CHP_VERSION=5.3.0
EXTRA=()
START_PG=1
while [ $# -gt 0 ]; do
  case "$1" in
    --config) CONFIG="$2"; shift 2 ;;
    --prefix) PREFIX="$2"; shift 2 ;;
    --reset-passwords) EXTRA+=(--reset-passwords); shift ;;
    --no-start-postgres) START_PG=0; shift ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "未知参数：$1（可用：--config、--prefix、--reset-passwords、--no-start-postgres）" >&2; exit 2 ;;
  esac
done
if [ "$(id -u)" -ne 0 ]; then
  echo "请用管理员权限运行：sudo $0" >&2
  exit 1
fi

echo "== 1/5 系统软件包"
missing=()
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v bwrap >/dev/null 2>&1 || missing+=(bubblewrap)
fc-list :lang=zh 2>/dev/null | grep -q . || missing+=(fonts-noto-cjk)
# The system Python: a Python under /root (pyenv, conda) would not be readable by learners.
[ -x /usr/bin/python3 ] || missing+=(python3)
/usr/bin/python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || missing+=(python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" fontconfig >/dev/null
fi

echo "== 2/5 Python 环境：$PREFIX/venv"
mkdir -p "$PREFIX"
[ -x "$PREFIX/venv/bin/python" ] || /usr/bin/python3 -m venv "$PREFIX/venv"
"$PREFIX/venv/bin/python" -m pip install -q --upgrade pip
# Build from a clean copy: no build/ or *.egg-info left in the checkout, no stale build state.
build_dir="$(mktemp -d)"
trap 'rm -rf "$build_dir"' EXIT
tar -C "$REPO" --exclude=__pycache__ -cf - pyproject.toml README.md course | tar -C "$build_dir" -xf -
"$PREFIX/venv/bin/python" -m pip install -q "$build_dir[hub]"
# Chinese JupyterLab for everyone and the learner kernel extension (full-width input, Chinese
# messages) in every kernel of this environment.
"$PREFIX/venv/bin/course" setup
chmod -R a+rX "$PREFIX"

echo "== 3/5 configurable-http-proxy $CHP_VERSION（npm）"
if [ ! -x "$PREFIX/venv/node/node_modules/.bin/configurable-http-proxy" ]; then
  npm install -s --prefix "$PREFIX/venv/node" --no-audit --no-fund "configurable-http-proxy@$CHP_VERSION"
fi

echo "== 4/5 工作坊配置与 PostgreSQL"
if [ ! -f "$CONFIG" ]; then
  mkdir -p "$(dirname "$CONFIG")"
  password="$("$PREFIX/venv/bin/python" -c 'import secrets; print(secrets.token_urlsafe(24))')"
  sed "s/__DB_PASSWORD__/$password/" "$REPO/deploy/workshop.example.yaml" > "$CONFIG"
  chmod 600 "$CONFIG"
  echo "已生成 $CONFIG：请填写 learners（学员账号）和 instructors（讲师账号），然后再运行一次 $0。"
  exit 0
fi
if [ "$START_PG" -eq 1 ] && command -v pg_lsclusters >/dev/null 2>&1; then
  pg_lsclusters -h | while read -r version cluster _port status _rest; do
    [ "$status" = online ] || pg_ctlcluster "$version" "$cluster" start
  done
fi

echo "== 5/5 账号、成绩册数据库、课程与交换目录"
"$PREFIX/venv/bin/course" workshop setup --config "$CONFIG" --repo "$REPO" "${EXTRA[@]}"

if [ -d /run/systemd/system ]; then
  cat > /etc/systemd/system/water-course-hub.service <<UNIT
[Unit]
Description=水务客服投诉处理实训 JupyterHub
After=network.target postgresql.service

[Service]
ExecStart=$PREFIX/venv/bin/jupyterhub -f $(dirname "$CONFIG")/jupyterhub_config.py
WorkingDirectory=$(dirname "$CONFIG")
Restart=on-failure

[Install]
WantedBy=multi-user.target
UNIT
  systemctl daemon-reload
  systemctl enable --now water-course-hub.service
  echo "JupyterHub 已作为服务 water-course-hub 启动。"
fi
