# Sources of the containerd store (core/image/containerd), added to strata_core: a read-only
# bbolt reader, then the store over containerd's databases.
strata_core_sources(boltmeta boltbucket boltwalker boltfile goencoding containerdsnapshot containerdsnapshotdb
  containerdcontent containerdstore containerddiff)
