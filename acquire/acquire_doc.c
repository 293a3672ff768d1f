/*
 * acquire_doc.c - what `custos acquire` is, for --help, custos-acquire(1)
 * and the completion.  Its options are the settings table (settings.h),
 * so that the options parsed, documented and completed are one list.
 */
#include "acquire/settings.h"
#include "builtin.h"

static size_t acquire_options_of(struct builtin_option *out, size_t cap)
{
	size_t n = 0;

	for (size_t i = 0; i < acq_settings_count && n < cap; i++) {
		const struct acq_setting *s = &acq_settings[i];
		enum builtin_complete c = BUILTIN_COMPLETE_NOTHING;

		if (s->kind == ACQ_KIND_PATH)
			c = BUILTIN_COMPLETE_FILE;
		else if (s->kind == ACQ_KIND_CHOICE)
			c = BUILTIN_COMPLETE_CHOICE;
		out[n++] = (struct builtin_option){
		    s->name,
		    acq_setting_key(s),
		    (s->short_name ? BUILTIN_OPT_SHORT : 0) |
		        (s->flags & ACQ_SETTING_HIDDEN ? BUILTIN_OPT_HIDDEN : 0),
		    s->kind == ACQ_KIND_FLAG ? NULL : s->arg,
		    s->help,
		    c,
		    s->choices};
	}
	return n;
}

const struct builtin_doc doc_acquire = {
    .name = "acquire",
    .run = cmd_acquire,
    .summary = "image a drive, a file or a stream into an E01 evidence set",
    .synopsis = "custos acquire SOURCE -o BASE [options]\n"
                "custos acquire - -o BASE [--size SIZE] [options]\n"
                "custos acquire SOURCE -o BASE --resume",
    .description =
        "Reads SOURCE (a block device, a regular file, or with - standard input) once, "
        "sector by sector, and writes an EWF-E01 evidence set: BASE.E01, BASE.E02, ... "
        "BASE.E99, BASE.EAA ... BASE.ZZZ, segment files of compressed, checksummed chunks, "
        "with the case metadata and the MD5 and SHA-256 of the media embedded. The digests "
        "are computed in the same pass as the read, of exactly what the evidence holds. "
        "EnCase, FTK, X-Ways, Autopsy, The Sleuth Kit and libewf read it.\n\n"
        "The source is never written. It is opened read-only, and a block device is also "
        "set read-only in the kernel while it is imaged (unless --no-write-block), and "
        "restored afterwards, also when the acquisition fails or is interrupted by SIGINT, "
        "SIGTERM or SIGHUP. A target that is the source, or lies on the source disk, is "
        "refused. Devices are read with O_DIRECT, so every sector comes from the drive.\n\n"
        "Evidence is never overwritten: if any file of the set exists (BASE.E01, BASE.E01.partial, "
        "BASE.raw, the custody log, the resume file, the mapfile), acquire refuses before "
        "writing anything. Segment files are written as BASE.E01.partial, renamed without "
        "replacing anything when complete, and made read-only; a failed acquisition leaves no "
        "file that looks complete.\n\n"
        "Sectors that cannot be read are searched as GNU ddrescue searches a failed area: "
        "the good data around them is read first, each unreadable sector is read once, and "
        "only then retried --retries times. A sector that never reads is filled with zeros "
        "and recorded exactly, in the E01 error table (ewfinfo lists it), in the summary and "
        "in the custody log; the exit status is then 3.\n\n"
        "For a drive that is failing, and may die, --rescue gets the good data first: GNU "
        "ddrescue (installed separately: gddrescue) copies what the drive gives into a sparse "
        "spool beside the evidence, BASE.rescue.img, in its own order (copying with skipping, "
        "trimming, scraping, then --retries passes), keeping its mapfile current every "
        "second; custos then packs the spool into E01, recording every area the map does not "
        "mark rescued as unreadable, reads the E01 back to verify it, and removes the spool. "
        "The map stays. An interrupted rescue goes on with --resume, from the map, and GNU "
        "ddrescue itself can go on with it too. The single pass costs one read of every "
        "sector and keeps the good data of a window around a bad sector; --rescue costs "
        "space for the spool and a second write, and does not let a dead area hold up the "
        "good data beyond it.\n\n"
        "For a drive, the vendor, model, serial number, firmware, sector sizes and "
        "removability come from sysfs; a drive that answers ATA is also asked, read-only, "
        "for its Host Protected Area and Device Configuration Overlay, which are reported. "
        "custos devices lists the drives, to find the right one.\n\n"
        "A stream (SOURCE -) is read from standard input: a pipe from ssh host dd, nc, or "
        "another tool. The evidence records the size that arrived, and its volume section "
        "is completed at the end. A stream has no positions to retry and cannot be resumed: "
        "--retries, --resume, --verify-source, --offset, --length, --mapfile and "
        "--ddrescue-map are refused with it. With --size, a stream that ends early or runs "
        "long fails.\n\n"
        "Every 256 MiB, and at least every 30 seconds, the acquisition records in BASE.resume "
        "where it stands; an acquisition stopped by a signal, a crash, a power loss or a full "
        "disk goes on with --resume, and gives the media and digests of an uninterrupted "
        "run.\n\n"
        "When done, the summary gives the source, geometry, digests, unreadable sectors, files, "
        "time and rate, and the custody log BASE.custody.xml is started, its first event the "
        "whole acquisition record. On a terminal a progress line shows percent, bytes done, "
        "rate, time left and unreadable sectors so far.",
    .options_of = acquire_options_of,
    .operands = BUILTIN_COMPLETE_SOURCE,
    .exit_status = "0: the source was acquired whole.\n\n"
                   "1: the acquisition failed (an I/O error, a full target disk, a stream "
                   "that ended before --size, a mismatch found by --verify or "
                   "--verify-source), or it was interrupted; nothing that looks complete is "
                   "left.\n\n"
                   "2: wrong options, or unusable input: a missing source, existing evidence, "
                   "a target on the source, a FIFO or a link where a file must be, a damaged "
                   "resume file or map.\n\n"
                   "3: acquired, but some sectors could not be read: they are zero-filled and "
                   "listed.",
    .examples = "custos devices\n"
                "Find the drive to image, and see that it is not mounted.\n\n"
                "custos acquire /dev/sdb -o case1/disk --examiner 'A. Smith'\n"
                "Image /dev/sdb into case1/disk.E01, ... with fast compression.\n\n"
                "custos acquire /dev/sdb -o case1/disk --resume\n"
                "Go on with that acquisition after an interruption.\n\n"
                "ssh root@host 'dd if=/dev/sda bs=1M' | custos acquire - -o disk\n"
                "Image a remote machine's disk over SSH.\n\n"
                "custos acquire /dev/sdb -o disk --mapfile disk.map --retries 0\n"
                "Image a failing drive once, keeping a GNU ddrescue mapfile.\n\n"
                "custos acquire /dev/sdb -o disk --rescue --retries 2\n"
                "Rescue a dying drive: the good data first, with GNU ddrescue.\n\n"
                "custos acquire rescued.img --ddrescue-map rescued.map -o disk\n"
                "Wrap an image GNU ddrescue rescued into E01, with its bad areas.\n\n"
                "custos acquire /dev/sdb -o /dev/sdc --verify\n"
                "Clone one drive onto another, and prove the copy.",
    .files = "BASE.E01, BASE.E02, ...: the evidence set (BASE.raw, or BASE.001, ... with "
             "--format raw).\n\n"
             "BASE.E01.partial: a segment being written.\n\n"
             "BASE.custody.xml: the custody log, started by the acquisition (see "
             "custos-custody(1)); BASE.custody.xml.lock serialises its appends.\n\n"
             "BASE.resume: where an interrupted acquisition stands; removed when it "
             "completes.\n\n"
             "BASE.rescue.img, BASE.rescue.map: with --rescue, the spool GNU ddrescue copies "
             "into (removed once the E01 is verified) and its mapfile (kept; --mapfile names "
             "another).\n\n"
             "/sys/block: the identity of drives.",
};
