# SPDX-License-Identifier: GPL-3.0-or-later
#
# compare_marks.awk -- compare another tool's per-(student, target) values
# with the target marks of `mlg compute` (CSV output) to mlg's printed
# precision.  Used by bench/bench_cli.sh before anything is timed.
#
#   awk -F, -v decimals=6 -f bench/compare_marks.awk MLG.csv OTHER.csv
#
# MLG.csv: mlg's header student_id,id,kind,label,value,level,n,flags.
# OTHER.csv: header, then student_id,target_id,value in any order.
# The other value is printed as mlg prints it (cli/util.c out_num: the value
# times 10^decimals rounded half away from zero, trailing zeros trimmed) and
# compared as text.  Prints one line: marks in each file,
# missing/extra keys, text mismatches, mismatches beyond the printed
# precision (|difference| > 0.5e-<decimals> plus a 1e-12 margin) and the
# largest absolute difference; the first mismatches go to stderr.
# Exit status 0 when the keys are the same and no value differs as text.
# Ids must not contain commas or quotes (true of `mlg generate` files).
function mlgnum(v,    x, q, neg, ip, fp, d, s) {
  x = v * p10
  neg = x < 0; if (neg) x = -x
  q = int(x + 0.5)
  ip = int(q / p10); fp = q - ip * p10; d = decimals
  while (d > 0 && fp % 10 == 0) { fp /= 10; d-- }
  s = (neg && q > 0 ? "-" : "") sprintf("%d", ip)
  if (d > 0) s = s "." sprintf("%0" d "d", fp)
  return s
}
BEGIN { if (decimals == "") decimals = 6; p10 = 10 ^ decimals; tol = 0.5 * 10 ^ -decimals + 1e-12 }
FNR == 1 { next }
NR == FNR { if ($3 == "target") { m[$1 "," $2] = $5; nm++ } next }
{
  k = $1 "," $2; no++
  if (!(k in m)) { extra++; next }
  seen[k] = 1
  t = mlgnum($3 + 0)
  if (t != m[k]) {
    text++
    d = $3 - m[k]; if (d < 0) d = -d
    if (d > maxd) maxd = d
    if (d > tol) far++
    if (text <= 5) printf "compare_marks: %s: mlg %s, other %s (%s)\n", k, m[k], t, $3 > "/dev/stderr"
  }
}
END {
  for (k in m) if (!(k in seen)) missing++
  printf "mlg %d marks, other %d; missing %d, extra %d; text mismatches %d, beyond precision %d, max |diff| %.3g\n",
         nm, no, missing + 0, extra + 0, text + 0, far + 0, maxd + 0
  exit (missing + extra + text > 0)
}
