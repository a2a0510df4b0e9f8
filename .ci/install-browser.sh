#!/usr/bin/env bash
# Installs Debian's chromium for tests/browser.rs, which loads the HTML
# report headless. Idempotent: does nothing when /usr/bin/chromium exists.
# .ci/run calls it before `cargo test`; with CI set, the browser test fails
# (it does not skip) when chromium is missing.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  echo "install-browser: $(/usr/bin/chromium --version 2>/dev/null || echo chromium) already installed"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq chromium >/dev/null
echo "install-browser: $(/usr/bin/chromium --version)"
