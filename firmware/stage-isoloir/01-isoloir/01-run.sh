#!/bin/bash -e
# pi-gen stage step: install the appliance's configuration into the image and take away
# everything that could reach a network or a shell.
install -d "${ROOTFS_DIR}/usr/lib/isoloir" "${ROOTFS_DIR}/etc/systemd/system.conf.d"
cp -a files/. "${ROOTFS_DIR}/"
install -m 0755 files/usr/lib/isoloir/usb-mount "${ROOTFS_DIR}/usr/lib/isoloir/usb-mount"
install -m 0755 "${ISOLOIR_KIOSK_BIN:?set ISOLOIR_KIOSK_BIN to the arm64 isoloir-kiosk}" \
    "${ROOTFS_DIR}/usr/bin/isoloir-kiosk"
cat >> "${ROOTFS_DIR}/boot/firmware/config.txt" <<'CFG'
# isoloir: no radio
dtoverlay=disable-wifi
dtoverlay=disable-bt
CFG

on_chroot <<'CHROOT'
set -e
id isoloir >/dev/null 2>&1 || useradd --system --home-dir /var/lib/isoloir --shell /usr/sbin/nologin \
    --groups video,input,render,audio,plugdev isoloir
install -d -o isoloir -g isoloir -m 0700 /var/lib/isoloir
install -d -m 0755 /media/isoloir
# No network, no remote or local shell.
for u in NetworkManager dhcpcd wpa_supplicant systemd-networkd systemd-resolved avahi-daemon \
         bluetooth hciuart ssh sshd rpi-connect cups getty@tty1 serial-getty@ttyS0 \
         serial-getty@ttyAMA0 systemd-timesyncd apt-daily.timer apt-daily-upgrade.timer \
         man-db.timer; do
  systemctl mask "$u" >/dev/null 2>&1 || true
done
apt-get purge -y openssh-server network-manager dhcpcd5 wpasupplicant avahi-daemon \
    bluez rpi-connect-lite 2>/dev/null || true
systemctl enable isoloir-kiosk.service
systemctl set-default multi-user.target
# journald in RAM only (the root is read-only).
mkdir -p /etc/systemd/journald.conf.d
printf '[Journal]\nStorage=volatile\nRuntimeMaxUse=16M\n' > /etc/systemd/journald.conf.d/isoloir.conf
CHROOT
