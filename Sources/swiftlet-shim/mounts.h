/* The container's filesystem: rootfs, mounts, devices, symlinks, pivot_root, masks. */
#ifndef SHIM_MOUNTS_H
#define SHIM_MOUNTS_H

#include "plan.h"

/* Parent, before clone: clones each bind source (open_tree OPEN_TREE_CLONE, an O_PATH fd
 * of a detached copy) while the host's mount namespace is still the current one. */
void mounts_prepare_binds(struct plan *plan);
/* Parent, after clone: closes the parent's copies of those fds. */
void mounts_close_binds(struct plan *plan);

/* Child, steps 2-5: makes / rslave, mounts the rootfs (overlay or bind), refuses a rootfs
 * whose /dev/null is not the null device, applies mount/device/symlink in plan order,
 * creates cwd, then pivot_root into the rootfs and detaches the old root. */
void mounts_setup_rootfs(const struct plan *plan);
/* Child, step 6 (after pivot_root): masked and readonly paths, then readonly-rootfs. */
void mounts_finish(const struct plan *plan);

#endif
