/**
 * cgroups: the container's control groups, written directly in cgroupfs (no native code
 * except bpf(2) through FFM for v2 device control).
 *
 * <pre>
 * CgroupHost host = CgroupHost.detect();                     // mode from /proc/self/mountinfo
 * CgroupManager cg = CgroupManager.open(host, spec.linux().cgroupsPath(), id, systemdFlag);
 * cg.create();                                               // mkdir; remembers what it made
 * cg.addProcess(initPid);                                    // create does this on a thread, beside apply
 * List&lt;String&gt; warnings = cg.apply(spec.linux().resources()); // print them
 * state.put("cgroup", cg.toState());                         // Map&lt;String,String&gt;
 * ...
 * CgroupManager cg = CgroupManager.fromState(state.get("cgroup"));   // later verbs
 * cg.freeze(); cg.thaw(); cg.isFrozen(); cg.pids(); cg.stats(); cg.oomKillCount();
 * cg.update(UpdateFlags.toResources(flags) or the --resources JSON);
 * cg.destroy();                                              // on delete, and on a failed create
 * StatsJson.event(id, cg.stats());                           // events --stats line
 * cg.containerMounts("/sys/fs/cgroup", readOnly);            // for the planner: MOUNT/SYMLINK ops
 * </pre>
 */
package dev.jruntime.cgroups;
