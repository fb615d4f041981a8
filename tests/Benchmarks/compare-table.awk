# Prints compare.sh's results as one table: a row per test and figure, a column per server, each
# figure followed by its ratio to the first column's (the baseline).
# Input: server<TAB>test<TAB>figure<TAB>value lines. -v columns="key=label;key=label;..."
BEGIN {
  n = split(columns, pairs, ";")
  for (i = 1; i <= n; i++) {
    if (pairs[i] == "") continue
    eq = index(pairs[i], "=")
    server[++servers] = substr(pairs[i], 1, eq - 1)
    label[servers] = substr(pairs[i], eq + 1)
    width[servers] = length(label[servers]) > 22 ? length(label[servers]) : 22
  }
}

!(($2 SUBSEP $3) in seen) { seen[$2, $3]; test[++rows] = $2; figure[rows] = $3 }
{ value[$1, $2, $3] = $4 }

END {
  printf "%-24s %-22s", "test", "figure"
  for (s = 1; s <= servers; s++) printf " %" width[s] "s", label[s]
  printf "\n"
  for (r = 1; r <= rows; r++) {
    printf "%-24s %-22s", test[r] == test[r - 1] ? "" : test[r], figure[r]
    key = server[1] SUBSEP test[r] SUBSEP figure[r]
    base = key in value ? value[key] : 0 # (a bare lookup would add the key)
    for (s = 1; s <= servers; s++) {
      key = server[s] SUBSEP test[r] SUBSEP figure[r]
      cell = "n/a"
      if (key in value) {
        cell = format(value[key], figure[r])
        if (s > 1 && base + 0 > 0) cell = cell sprintf(" (%.2fx)", value[key] / base)
      }
      printf " %" width[s] "s", cell
    }
    printf "\n"
  }
}

function format(v, figure) {
  if (figure == "msg/s" || (figure ~ / us$/ && v >= 10)) return thousands(sprintf("%.0f", v))
  if (figure == "MB/s" || figure ~ / us$/) return sprintf("%.1f", v)
  return sprintf("%.2f", v)
}

function thousands(digits,    out) {
  while (length(digits) > 3) {
    out = "," substr(digits, length(digits) - 2) out
    digits = substr(digits, 1, length(digits) - 3)
  }
  return digits out
}
