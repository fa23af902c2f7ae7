/**
 * Runs as the host's PID 1 inside fresh net, mount, uts, ipc and pid namespaces (started by `unshare --fork`),
 * sets the host up, reports on fd 3 and becomes `sshd -D`. A constant script: every value arrives as an argument.
 *   $1 host name  $2 address  $3 prefix length  $4 controller-side veth name
 *   $5 controller's network namespace (/proc/PID/ns/net)  $6 the host's directory  $7 eth0's MAC address
 *   $8 $9 $10 optional second link (a bastion's leg on the internal network): address, controller-side veth, MAC.
 * A new network namespace does not forward between its links, so a host with two never routes between them.
 */
export const HOST_SCRIPT = `set -eu
name=$1 address=$2 prefix=$3 veth=$4 controller_netns=$5 dir=$6 mac=$7 address2=\${8:-} veth2=\${9:-} mac2=\${10:-}
# Create the pair from inside and push the far end straight into the controller's namespace. A fixed MAC per
# address keeps the controller's ARP cache valid when a host is replaced, as a rebooted VM keeps its NIC.
ip link add eth0 address "$mac" type veth peer name "$veth" netns "$controller_netns"
printf '%s\\n' 'link set lo up' "addr add $address/$prefix dev eth0" 'link set eth0 up' | ip -batch -
if [ -n "$address2" ]; then
  ip link add eth1 address "$mac2" type veth peer name "$veth2" netns "$controller_netns"
  printf '%s\\n' "addr add $address2/$prefix dev eth1" 'link set eth1 up' | ip -batch -
fi
printf '%s' "$name" > /proc/sys/kernel/hostname
# From here on use paths relative to the host directory: a mount over /root, /opt or /tmp may hide "$dir" itself,
# but the working directory keeps pointing at it.
cd "$dir"
mount -t overlay overlay -o lowerdir=/etc,upperdir=etc/upper,workdir=etc/work /etc
mount -t overlay overlay -o lowerdir=/var,upperdir=var/upper,workdir=var/work /var
mount --bind hosts /etc/hosts
for d in opt root home tmp run; do mount --bind "$d" "/$d"; done
# This /proc still belongs to the controller's pid namespace: it tells our PID as the controller sees it.
read -r pid _ < /proc/self/stat
mount -t proc proc /proc
mount -t sysfs sysfs /sys 2>/dev/null || echo "lab host $name: no private /sys (kept the machine's)" >&2
# --init systemd: the lab's systemd stand-in answers for systemctl and journalctl, and /run/systemd/system says
# "booted with systemd" (sd_booted(3)). Only this host's mount namespace sees the binds.
if [ "\${LAB_INIT:-}" = systemd ]; then
  mount --bind systemd/systemctl /usr/bin/systemctl
  mount --bind systemd/systemctl /usr/bin/journalctl
  mkdir -p /run/systemd/system
fi
cd /
echo "ready $pid" >&3
exec 3>&-
# The boot sequence: sshd (this process, next), and the units multi-user.target wants (src/lab/systemd/boot.ts).
if [ "\${LAB_INIT:-}" = systemd ]; then setsid /usr/bin/systemctl __boot </dev/null >/run/systemd/lab-boot.log 2>&1 & fi
unset LAB_INIT
exec /usr/sbin/sshd -D -e -f /etc/ssh/sshd_config
`;
