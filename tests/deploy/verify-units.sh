#!/usr/bin/env bash
# The systemd units in deploy/ (issue #13), checked by systemd itself in a
# throwaway root that holds the real built binaries, Debian's cage and
# systemd's own units: `systemd-analyze verify` must accept them without a
# word, `systemd-analyze security --offline` must rate them at or under the
# exposure below, systemd-sysusers and systemd-tmpfiles must create the
# users and folders, and the settings the deployment relies on must be
# there. Usage: verify-units.sh SOURCE_DIR SERVER_BINARY KIOSK_BINARY
set -euo pipefail
src=$1 server=$2 kiosk=$3
fail() { echo "FAIL: $*" >&2; exit 1; }

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/usr/local/bin" "$root/usr/bin" "$root/usr/sbin" "$root/usr/lib/systemd" "$root/etc/systemd/system"
cp -r /usr/lib/systemd/system "$root/usr/lib/systemd/"
install -m 0755 "$server" "$root/usr/local/bin/kaodian-server"
install -m 0755 "$kiosk" "$root/usr/local/bin/kaodian-kiosk"
command -v cage >/dev/null || fail "cage is not installed (scripts/deps test installs it)"
install -m 0755 "$(command -v cage)" "$root/usr/bin/cage"
ln -s /bin/false "$root/usr/sbin/nologin"
cp "$src"/deploy/*.service "$root/etc/systemd/system/"
units=(kaodian-server.service kaodian-kiosk.service)

# verify exits 0 on unknown keys and bad values, and only says so: any
# output is a failure.
out=$(systemd-analyze verify --root="$root" "${units[@]}" 2>&1) || fail "systemd-analyze verify: $out"
[[ -z $out ]] || fail "systemd-analyze verify complains: $out"

check_exposure() { # unit threshold
  systemd-analyze security --offline=true --root="$root" --threshold="$2" "$1" >"$root/security.txt" 2>&1 \
    || { tail -5 "$root/security.txt" >&2; fail "$1 is more exposed than $2 (tenths)"; }
  grep -o "Overall exposure level for $1: [0-9.]*" "$root/security.txt"
}
check_exposure kaodian-server.service 20 # 2.0 on the scale systemd prints
# The kiosk logs in on a seat (PAM, tty, display, input, camera): less can
# be closed.
check_exposure kaodian-kiosk.service 70 # 7.0

# The settings the deployment relies on, as systemd reads them.
setting() { # unit key → the value systemd parsed (last assignment)
  sed -n "s/^$2=//p" "$root/etc/systemd/system/$1" | tail -1
}
expect() { # unit key value
  local got
  got=$(setting "$1" "$2")
  [[ $got == "$3" ]] || fail "$1: $2 is '$got', expected '$3'"
}
expect kaodian-server.service User kaodian
expect kaodian-server.service ProtectSystem strict
expect kaodian-server.service ReadWritePaths /var/lib/kaodian
expect kaodian-server.service NoNewPrivileges true
expect kaodian-server.service PrivateTmp true
expect kaodian-server.service Restart on-failure
expect kaodian-kiosk.service User kaodian-kiosk
expect kaodian-kiosk.service Restart always
expect kaodian-kiosk.service ProtectSystem strict
expect kaodian-kiosk.service ReadWritePaths /var/lib/kaodian-kiosk
expect kaodian-kiosk.service TTYPath /dev/tty1
[[ $(setting kaodian-kiosk.service ExecStart) == /usr/bin/cage\ * ]] || fail "the kiosk does not run under cage"
for unit in "${units[@]}"; do
  ! grep -Eq -- '--(enrol|password|postgres)[ =]' "$root/etc/systemd/system/$unit" \
    || fail "$unit puts a secret on a command line"
done

# Every option the units pass is one the programs know.
check_options() { # unit binary
  local opt help
  # Read whole first: grep -q would stop reading, and the program's SIGPIPE
  # would fail the pipeline.
  help=$("$2" --help 2>&1 || true)
  for opt in $(setting "$1" ExecStart | grep -o -- '--[a-z-]*' | grep -v '^--$'); do
    grep -q -- "$opt" <<<"$help" || fail "$1 passes $opt, which $(basename "$2") does not know"
  done
}
check_options kaodian-server.service "$server"
check_options kaodian-kiosk.service "$kiosk"

# The users and the data folders.
systemd-sysusers --root="$root" "$src/deploy/kaodian.sysusers" >/dev/null 2>&1 \
  || systemd-sysusers --root="$root" "$src/deploy/kaodian.sysusers"
grep -q '^kaodian:' "$root/etc/passwd" || fail "systemd-sysusers made no kaodian user"
grep -q '^kaodian-kiosk:' "$root/etc/passwd" || fail "systemd-sysusers made no kaodian-kiosk user"
out=$(systemd-tmpfiles --root="$root" --create "$src/deploy/kaodian.tmpfiles" 2>&1) || fail "systemd-tmpfiles: $out"
[[ $(stat -c '%a %U' "$root/var/lib/kaodian") == "700 "* ]] || fail "/var/lib/kaodian is not 0700"
echo "deploy units verified"
