package model

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// FormatValue renders a metric value for people: "$1,234,500", "12", "85%".
func FormatValue(u Unit, v float64) string {
	switch u {
	case Money:
		s := groupThousands(math.Round(math.Abs(v)))
		if v < 0 {
			return "-$" + s
		}
		return "$" + s
	case Percent:
		return fmtPlain(v) + "%"
	}
	return fmtPlain(v)
}

// FormatExact is FormatValue without rounding money: cents show when
// there are any ("$1,234.50"), for a diff where a cent is a change.
func FormatExact(u Unit, v float64) string {
	cents := math.Round(math.Abs(v) * 100)
	if u != Money || math.Mod(cents, 100) == 0 {
		return FormatValue(u, v)
	}
	s := groupThousands(math.Trunc(cents/100)) + "." + fmt.Sprintf("%02d", int(math.Mod(cents, 100)))
	if v < 0 {
		return "-$" + s
	}
	return "$" + s
}

// FormatShort renders a value in at most about six characters, for tables:
// "$1.2M", "$340k", "12", "85%".
func FormatShort(u Unit, v float64) string {
	if u != Money {
		return FormatValue(u, v)
	}
	a := math.Abs(v)
	sign := ""
	if v < 0 {
		sign = "-"
	}
	// Pick the unit after rounding: 999,600 is "$1.0M", never "$1000k".
	switch {
	case a >= 999.95e6:
		return sign + "$" + trimZero(strconv.FormatFloat(a/1e9, 'f', 1, 64)) + "B"
	case a >= 999.5e3:
		return sign + "$" + trimZero(strconv.FormatFloat(a/1e6, 'f', 1, 64)) + "M"
	case a >= 999.5:
		return sign + "$" + strconv.FormatFloat(math.Round(a/1e3), 'f', 0, 64) + "k"
	}
	return sign + "$" + strconv.FormatFloat(math.Round(a), 'f', 0, 64)
}

func trimZero(s string) string { return strings.TrimSuffix(s, ".0") }

// fmtPlain prints a number without exponent and without a needless ".0".
func fmtPlain(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return groupThousands(v)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

func groupThousands(v float64) string {
	s := strconv.FormatFloat(math.Abs(v), 'f', 0, 64)
	var b strings.Builder
	if v < 0 {
		b.WriteByte('-')
	}
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Plural reads "1 demotion", "2 demotions": n with the word for n.
func Plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// FormatHours reads hours as short as they are exact to the quarter hour:
// "3", "0.25", "11.25", "8.5". Used wherever hours meet a person, so 12.5
// never prints as "12" nor 100 as "1e+02".
func FormatHours(h float64) string {
	return strconv.FormatFloat(math.Round(h*100)/100, 'f', -1, 64)
}
