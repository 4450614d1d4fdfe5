// Package outdir writes output folders and single output files so that a
// reader only ever sees a complete previous version or a complete new one.
//
// A folder (see [Open] and [Target.Replace]) is written whole into a hidden
// temporary folder ".NAME.tmp-<16 hex digits>" beside it (in the same parent,
// hence on the same filesystem), every file fsynced, then swapped in with one
// atomic step: renameat2(RENAME_EXCHANGE) when the folder exists, a plain
// rename when it does not. The previous version, now under the temporary
// name, is removed afterwards. Where the filesystem cannot exchange, the old
// folder is renamed to ".NAME.old-<hex>" and the new one renamed into place;
// a process killed between the two renames leaves the old folder under its
// hidden name, and the next writer of the folder restores it before doing
// anything else.
//
// Every folder carries a manifest, [ManifestName], listing each file with its
// size and SHA-256 (see [Manifest]). An existing folder is replaced only if it
// is empty or was written by scensim (it holds a manifest or a result.json,
// job.json or compare.json, and no subfolder); any other folder is refused, so that an output
// flag pointing at a user's own folder never deletes it.
//
// A folder that is itself a mount point cannot be renamed. It is written in
// place instead: the files go into a temporary folder inside it, are renamed
// one by one over their targets (the manifest last), and the files of the
// previous manifest that the new version lacks are removed; files it did
// not list (such as lost+found) are left alone. Each file is then replaced
// atomically, but the folder as a whole is not. Its lock is ".scensim.lock"
// inside it, so a read-only parent does not matter.
//
// A writer holds an exclusive lock (flock) on ".NAME.lock" beside the folder
// from [Open] to [Target.Close]; a second writer of the same folder is
// refused at once with [ErrBusy] instead of waiting. The kernel releases the
// lock when its process dies, so a killed run never leaves the folder locked.
// The holder removes the lock file before releasing it, and a process that
// locks a file no longer at that path drops it and tries again, so no two
// writers ever hold the lock at once and no lock file outlives its writer
// (a killed writer's file is left, unlocked, and removed by the next one).
// Under the lock, temporary folders left by killed writers of the same
// folder are removed.
//
// Single files ([WriteFile]) are written to a temporary ".NAME.tmp-<hex>" in
// the same directory, fsynced and renamed over the target, so a failure
// (such as a full disk) leaves the previous file untouched.
package outdir
