/*
 * devices_doc.c - what `custos devices` is, for --help, custos-devices(1)
 * and the completion; its option is parsed in cmd_devices.c (key 'j').
 */
#include "builtin.h"

static const struct builtin_option devices_options[] = {
    {"json", 'j', 0, NULL,
     "Print a JSON array with one object per disk: path, name, type (disk or loop), size, "
     "logical_sector_size, physical_sector_size, vendor, model, serial, firmware, transport, "
     "removable, read_only, backing_file, mountpoints, holders (name, type, label, "
     "mountpoints), holds_root, holds_swap, hidden_areas, and partitions (path, name, "
     "start_sector, size, read_only, mountpoints, holders, holds_root, holds_swap). Unknown "
     "values are null.",
     BUILTIN_COMPLETE_NOTHING, NULL},
};

const struct builtin_doc doc_devices = {
    .name = "devices",
    .run = cmd_devices,
    .summary = "list the drives, to know which is which before imaging",
    .synopsis = "custos devices [--json]",
    .description =
        "Lists every whole disk (SATA, SAS, USB, NVMe, MMC, virtio, optical), and every loop "
        "device with a backing file, with its partitions under it, so that the examiner knows "
        "which /dev name is the drive to image, and which must not be touched: imaging or "
        "writing the wrong disk is the mistake this prevents.\n\n"
        "For each disk: its path, size, logical and physical sector size, vendor, model, "
        "serial number and firmware, transport (sata, sas, usb, nvme, mmc, virtio, loop, "
        "scsi), whether it is removable, and whether the kernel has it read-only. For each "
        "disk and partition: where it is mounted, and what holds it (LVM, md, dm-crypt and "
        "other device-mapper devices, with where those are mounted).\n\n"
        "A disk or partition that holds the running system's root file system or a swap area, "
        "directly or through the devices that hold it, is marked SYSTEM (holds_root, "
        "holds_swap): it must never be the source or the target by mistake.\n\n"
        "Identity, sizes and state come from sysfs, so listing needs no root. Run as root, "
        "custos also asks each drive that answers ATA (SATA, and most USB bridges) for its "
        "Host Protected Area and Device Configuration Overlay, with the read-only commands "
        "custos acquire sends (IDENTIFY DEVICE, READ NATIVE MAX ADDRESS, DEVICE "
        "CONFIGURATION IDENTIFY); a hidden area is shown in the table, and in hidden_areas. "
        "Nothing is written to any drive.",
    .options = devices_options,
    .n_options = sizeof(devices_options) / sizeof(devices_options[0]),
    .operands = BUILTIN_COMPLETE_NOTHING,
    .exit_status = "0: the drives were listed.\n\n"
                   "1: sysfs or the mount table could not be read.\n\n"
                   "2: wrong options.",
    .examples = "custos devices\n"
                "The table: find the drive just attached, and see that it is not mounted.\n\n"
                "custos devices --json | jq -r '.[] | select(.transport == \"usb\") | .path'\n"
                "The paths of the USB drives.\n\n"
                "sudo custos devices\n"
                "Also show Host Protected Areas and Device Configuration Overlays.",
    .files = "/sys/block, /sys/class/block: the drives, their identity and holders.\n\n"
             "/proc/self/mountinfo, /proc/swaps: what is mounted, and the swap areas.",
};
