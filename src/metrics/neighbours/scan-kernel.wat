;; The per-row scan of the nearest-neighbour search (see scan-kernel.ts): for references
;; j in [from, to) it adds each categorical group's mismatch count table_g[sig_g[j]] to the
;; numeric squared distance row[j], keeps the row's minimum, and lowers the running minimum of
;; each reference (colMin, colNearest). Arithmetic in f64 as in JavaScript; colMin stays f32.
;; In JavaScript this loop cost about 13 ns per distance (bounds checks, conversions).
(module
  (memory (export "memory") 1)
  (func (export "scan")
    (param $row i32) (param $from i32) (param $to i32)
    (param $groups i32) (param $tableOffsets i32) (param $sigs i32) (param $nr i32)
    (param $colMin i32) (param $colNearest i32) (param $query i32)
    (result i32)
    (local $j i32) (local $g i32) (local $at i32) (local $sigAt i32) (local $groupStride i32)
    (local $v f64) (local $best f64) (local $arg i32)
    (local.set $best (f64.const inf))
    (local.set $arg (local.get $from))
    (local.set $groupStride (i32.shl (local.get $nr) (i32.const 2)))
    (local.set $j (local.get $from))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $j) (local.get $to)))
        (local.set $at (i32.shl (local.get $j) (i32.const 2)))
        (local.set $v (f64.promote_f32 (f32.load (i32.add (local.get $row) (local.get $at)))))
        (local.set $sigAt (i32.add (local.get $sigs) (local.get $at)))
        (local.set $g (i32.const 0))
        (block $groupsDone
          (loop $group
            (br_if $groupsDone (i32.ge_s (local.get $g) (local.get $groups)))
            (local.set $v
              (f64.add (local.get $v)
                (f64.promote_f32
                  (f32.load
                    (i32.add
                      (i32.load (i32.add (local.get $tableOffsets) (i32.shl (local.get $g) (i32.const 2))))
                      (i32.shl (i32.load (local.get $sigAt)) (i32.const 2)))))))
            (local.set $sigAt (i32.add (local.get $sigAt) (local.get $groupStride)))
            (local.set $g (i32.add (local.get $g) (i32.const 1)))
            (br $group)))
        (if (f64.lt (local.get $v) (local.get $best))
          (then
            (local.set $best (local.get $v))
            (local.set $arg (local.get $j))))
        (if (f64.lt (local.get $v) (f64.promote_f32 (f32.load (i32.add (local.get $colMin) (local.get $at)))))
          (then
            (f32.store (i32.add (local.get $colMin) (local.get $at)) (f32.demote_f64 (local.get $v)))
            (i32.store (i32.add (local.get $colNearest) (local.get $at)) (local.get $query))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $next)))
    (local.get $arg)))
