"""Reports about generated packages: what a generation was made from (the record kept in the
manifest), what changed since the previous one (`specgen generate`'s report), and why a
package is stale (`specgen check`). Nothing here writes; the pipeline sequences the writes."""
