#!/usr/bin/env bash
# Checks the shipped systemd unit for airlockd:
#   1. `systemd-analyze verify` is clean (exit 0, no message about the unit);
#   2. `systemd-analyze security --offline=true` rates the overall exposure 1.0 or lower;
#   3. the kernel IP wall (IPAddressDeny=any + IPAddressAllow=...) allows no reserved range and
#      still allows ordinary public addresses;
#   4. the identity and modes the admin socket and the secrets depend on are in place, and the
#      sysusers.d and preset files next to the unit do what the unit's comments promise.
# verify insists that ExecStart= names an executable, and a build tree has none at /usr/sbin, so
# the checks run on a temporary copy whose ExecStart= points at the airlockd given on the command
# line; nothing else in the copy changes.
#
# Usage: check-unit.sh UNIT_FILE AIRLOCKD_BINARY
set -euo pipefail

readonly max_exposure_tenths=10
readonly installed_binary=/usr/sbin/airlockd

failures=0
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

if [[ $# -ne 2 ]]; then
    echo "usage: $0 UNIT_FILE AIRLOCKD_BINARY" >&2
    exit 2
fi
unit=$1
binary=$2
unit_name=$(basename "$unit")
unit_dir=$(cd "$(dirname "$unit")" && pwd)

[[ -f $unit ]] || { echo "FAIL: no unit file at $unit" >&2; exit 1; }
[[ $binary == /* && -x $binary && ! -d $binary ]] || { echo "FAIL: $binary is not an absolute path to an executable" >&2; exit 1; }
# The path goes into ExecStart= unquoted; whitespace, quotes and backslashes would change its meaning.
if [[ $binary =~ [[:space:]\"\'\\] ]]; then
    echo "FAIL: cannot put $binary into ExecStart= (whitespace, quote or backslash)" >&2
    exit 1
fi

command -v systemd-analyze >/dev/null || { echo "FAIL: systemd-analyze not found (Debian package systemd)" >&2; exit 1; }
version=$(systemd-analyze --version | awk 'NR == 1 { print $2 }')
if ! [[ $version =~ ^[0-9]+$ ]] || ((version < 250)); then
    echo "FAIL: systemd $version is too old for security --offline (needs 250)" >&2
    exit 1
fi
echo "systemd-analyze from systemd $version"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
copy=$tmp/$unit_name

# --- the copy, with only the binary path replaced -------------------------------------------------
exec_lines=0
while IFS= read -r line || [[ -n $line ]]; do
    if [[ $line == "ExecStart=$installed_binary "* ]]; then
        exec_lines=$((exec_lines + 1))
        line="ExecStart=${binary//%/%%} ${line#"ExecStart=$installed_binary "}" # % starts a specifier
    fi
    printf '%s\n' "$line"
done <"$unit" >"$copy"
if ((exec_lines != 1)); then
    fail "expected exactly one 'ExecStart=$installed_binary ...' line, found $exec_lines"
fi

# Messages about other units (distribution units pulled in as dependencies) are not ours to fix;
# any message that names this unit is a failure.
check_messages() { # $1 = step name, $2 = output
    local own
    own=$(grep -F -e "$unit_name" -e "$tmp" <<<"$2" | grep -v -F 'Overall exposure level' || true)
    if [[ -n $own ]]; then
        fail "$1 reported problems with the unit:"
        while IFS= read -r message; do echo "    $message"; done <<<"$own" >&2
    fi
}

# --- 1. verify ----------------------------------------------------------------------------------
echo "== systemd-analyze verify"
rc=0
out=$(systemd-analyze verify --recursive-errors=no "$copy" 2>&1) || rc=$?
[[ -n $out ]] && printf '%s\n' "$out"
((rc == 0)) || fail "systemd-analyze verify exited with $rc"
check_messages verify "$out"

# --- 2. security --------------------------------------------------------------------------------
echo "== systemd-analyze security --offline=true"
rc=0
out=$(systemd-analyze security --offline=true "$copy" 2>&1) || rc=$?
((rc == 0)) || fail "systemd-analyze security exited with $rc"
check_messages security "$out"
grep -F '✗' <<<"$out" || true
score=$(sed -n 's/^.*Overall exposure level for .*: \([0-9][0-9]*\)\.\([0-9]\).*$/\1\2/p' <<<"$out")
if [[ -z $score ]]; then
    fail "no overall exposure level in the security report"
    printf '%s\n' "$out" >&2
else
    echo "exposure: $((10#$score / 10)).$((10#$score % 10)) (limit 1.0)"
    ((10#$score <= max_exposure_tenths)) || fail "exposure $((10#$score / 10)).$((10#$score % 10)) is above 1.0"
fi

# --- 3. the IP wall -----------------------------------------------------------------------------
echo "== IPAddressDeny/IPAddressAllow"
# Prefix bits of an IPv4 or IPv6 address as a string of 0s and 1s; empty if malformed.
to_bits() {
    local addr=$1 bits='' part value i
    if [[ $addr =~ ^[0-9]+(\.[0-9]+){3}$ ]]; then
        IFS=. read -r -a parts <<<"$addr"
        for part in "${parts[@]}"; do
            ((10#$part <= 255)) || return 0
            value=$((10#$part))
            for ((i = 7; i >= 0; i--)); do bits+=$(((value >> i) & 1)); done
        done
    elif [[ $addr =~ ^[0-9a-fA-F:]+$ && $addr == *:* ]]; then
        local head=${addr%%::*} tail='' groups=()
        if [[ $addr == *::* ]]; then tail=${addr#*::}; fi
        local h=() t=()
        [[ -n $head ]] && IFS=: read -r -a h <<<"$head"
        [[ -n $tail ]] && IFS=: read -r -a t <<<"$tail"
        if [[ $addr == *::* ]]; then
            groups=("${h[@]}")
            for ((i = ${#h[@]} + ${#t[@]}; i < 8; i++)); do groups+=(0); done
            groups+=("${t[@]}")
        else
            groups=("${h[@]}")
        fi
        ((${#groups[@]} == 8)) || return 0
        for part in "${groups[@]}"; do
            [[ $part =~ ^[0-9a-fA-F]{1,4}$ ]] || return 0
            value=$((16#$part))
            for ((i = 15; i >= 0; i--)); do bits+=$(((value >> i) & 1)); done
        done
    fi
    printf '%s' "$bits"
}
# "bits/length" for an address or CIDR, or empty if malformed.
to_prefix() {
    local cidr=$1 addr len bits
    addr=${cidr%/*}
    bits=$(to_bits "$addr")
    [[ -n $bits ]] || return 0
    if [[ $cidr == */* ]]; then len=${cidr#*/}; else len=${#bits}; fi
    [[ $len =~ ^[0-9]+$ ]] && ((10#$len <= ${#bits})) || return 0
    printf '%s/%d' "$bits" "$((10#$len))"
}
# Two prefixes of the same family overlap when they agree on the shorter one's bits.
overlaps() {
    local a=${1%/*} la=${1#*/} b=${2%/*} lb=${2#*/} n
    ((${#a} == ${#b})) || return 1
    n=$((la < lb ? la : lb))
    [[ ${a:0:n} == "${b:0:n}" ]]
}

reserved=(
    0.0.0.0/8 10.0.0.0/8 100.64.0.0/10 127.0.0.0/8 169.254.0.0/16 172.16.0.0/12 192.0.0.0/24
    192.0.2.0/24 192.88.99.0/24 192.168.0.0/16 198.18.0.0/15 198.51.100.0/24 203.0.113.0/24
    224.0.0.0/4 240.0.0.0/4
    ::/8 64:ff9b::/96 64:ff9b:1::/48 100::/64 2001::/23 2001:db8::/32 2002::/16 3fff::/20
    fc00::/7 fe80::/10 fec0::/10 ff00::/8
)
# Addresses the allow list must keep reachable (Cloudflare, Google, AWS/CloudFront ranges).
public=(1.1.1.1 8.8.8.8 18.160.0.1 52.0.0.1 104.16.0.1 223.255.255.1 2600:9000::1 2606:4700::1 2a00:1450::1)

deny=$(sed -n 's/^IPAddressDeny=//p' "$unit" | tr '\n' ' ')
allow=$(sed -n 's/^IPAddressAllow=//p' "$unit" | tr '\n' ' ')
[[ " $deny " == *" any "* ]] || fail "IPAddressDeny= must contain 'any' (allow-list wall), got: $deny"
grep -q '^IPAddressAllow=[[:space:]]*$' "$unit" && fail "an empty IPAddressAllow= resets the allow list"

reserved_prefixes=()
for r in "${reserved[@]}"; do reserved_prefixes+=("$(to_prefix "$r")"); done
allowed_prefixes=()
for entry in $allow; do
    case $entry in
    localhost) continue ;; # 127.0.0.0/8 and ::1: the API itself and a local DNS stub
    any | link-local | multicast)
        fail "IPAddressAllow=$entry opens a reserved range"
        continue
        ;;
    esac
    p=$(to_prefix "$entry")
    if [[ -z $p ]]; then
        fail "IPAddressAllow entry '$entry' is not an address or prefix this check understands"
        continue
    fi
    allowed_prefixes+=("$p")
    for i in "${!reserved[@]}"; do
        overlaps "$p" "${reserved_prefixes[$i]}" && fail "IPAddressAllow=$entry overlaps reserved ${reserved[$i]}"
    done
done
echo "allow list: ${#allowed_prefixes[@]} prefixes besides localhost, none reserved"
for addr in "${public[@]}"; do
    p=$(to_prefix "$addr")
    hit=no
    for a in "${allowed_prefixes[@]}"; do
        if overlaps "$p" "$a"; then
            hit=yes
            break
        fi
    done
    [[ $hit == yes ]] || fail "public address $addr is not in the IPAddressAllow= list"
done

# --- 4. identity, modes and the companion files ----------------------------------------------------
echo "== identity and modes"
for setting in Type=exec DynamicUser=yes Group=secure-ai-admin PrivateUsers=yes StateDirectoryMode=0700 \
    RuntimeDirectoryMode=0750 UMask=0077 CapabilityBoundingSet= AmbientCapabilities= NoNewPrivileges=yes \
    LimitCORE=0; do
    grep -qx -F "$setting" "$unit" || fail "the unit must say $setting"
done
grep -q '^SupplementaryGroups=' "$unit" && fail "SupplementaryGroups= would not be mapped under PrivateUsers"

sysusers=$unit_dir/secure-ai-airlock.sysusers.conf
if [[ ! -f $sysusers ]]; then
    fail "missing $sysusers"
elif command -v systemd-sysusers >/dev/null; then
    mkdir -p "$tmp/root/etc" "$tmp/root/usr/lib/sysusers.d"
    cp "$sysusers" "$tmp/root/usr/lib/sysusers.d/secure-ai-airlock.conf"
    systemd-sysusers --root="$tmp/root" >/dev/null 2>&1 || fail "systemd-sysusers rejected $sysusers"
    grep -q '^secure-ai-admin:' "$tmp/root/etc/group" 2>/dev/null || fail "$sysusers does not create group secure-ai-admin"
fi
preset=$unit_dir/secure-ai-airlock.preset
grep -qx "disable $unit_name" "$preset" 2>/dev/null || fail "$preset must say 'disable $unit_name'"

if ((failures > 0)); then
    echo "$failures check(s) failed" >&2
    exit 1
fi
echo "all checks passed"
