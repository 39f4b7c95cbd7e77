package lang

import (
	"fmt"
	"math/big"
	"strings"
)

// Byte size units. Decimal units are powers of 1000 and binary units
// powers of 1024, as in SI/IEC; unit names are case-insensitive.
var sizeUnits = []struct {
	name string
	mult int64
}{
	{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40},
	{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12},
	{"B", 1},
}

// ParseByteSize parses sizes such as "200MB", "1.5GiB", "512 KiB" or a bare
// byte count "1048576". The result must be a whole number of bytes.
func ParseByteSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range sizeUnits {
		if len(t) > len(u.name) && strings.EqualFold(t[len(t)-len(u.name):], u.name) {
			mult = u.mult
			t = strings.TrimSpace(t[:len(t)-len(u.name)])
			break
		}
	}
	if t == "" || strings.Trim(t, "0123456789.") != "" || strings.Count(t, ".") > 1 || t == "." {
		return 0, fmt.Errorf("%q is not a size (examples: \"200MB\", \"1GiB\", \"500000000\")", s)
	}
	r, ok := new(big.Rat).SetString(t)
	if !ok {
		return 0, fmt.Errorf("%q is not a size", s)
	}
	r.Mul(r, new(big.Rat).SetInt64(mult))
	if !r.IsInt() {
		return 0, fmt.Errorf("%q is not a whole number of bytes", s)
	}
	n := r.Num()
	if !n.IsInt64() {
		return 0, fmt.Errorf("%q is too large", s)
	}
	return n.Int64(), nil
}

// FormatByteSize renders n with the largest unit that divides it exactly.
func FormatByteSize(n int64) string {
	for _, i := range []int{3, 7, 2, 6, 1, 5, 0, 4} { // TiB, TB, GiB, GB, ...
		u := sizeUnits[i]
		if n != 0 && n%u.mult == 0 {
			return fmt.Sprintf("%d%s", n/u.mult, u.name)
		}
	}
	return fmt.Sprintf("%dB", n)
}
