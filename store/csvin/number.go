package csvin

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/partnertiers/partnertiers/model"
)

// ParseNumber reads a metric value the way spreadsheets write them: plain
// numbers ("1234.5"), thousands separators ("1,234"), money with a currency
// sign ("$1,234.50", "-$20", "(1,200)" for a negative amount) and percents
// ("85%"). Counts must be whole and not negative. The reason in the error
// is ready for a RowError.
func ParseNumber(s string, unit model.Unit) (float64, error) {
	raw := strings.TrimSpace(s)
	t := raw
	neg := false
	if strings.HasPrefix(t, "(") && strings.HasSuffix(t, ")") && unit == model.Money {
		neg, t = true, strings.TrimSpace(t[1:len(t)-1])
	}
	if strings.HasPrefix(t, "-") && !neg {
		neg, t = true, strings.TrimSpace(t[1:])
	} else if strings.HasPrefix(t, "+") {
		t = strings.TrimSpace(t[1:])
	}
	if unit == model.Money {
		for _, sign := range []string{"$", "€", "£", "¥"} {
			if rest, ok := strings.CutPrefix(t, sign); ok {
				t = strings.TrimSpace(rest)
				break
			}
		}
		if strings.HasPrefix(t, "-") && !neg {
			neg, t = true, strings.TrimSpace(t[1:])
		}
	}
	if unit == model.Percent {
		t = strings.TrimSpace(strings.TrimSuffix(t, "%"))
	}
	v, ok := plainNumber(t)
	if !ok {
		return 0, fmt.Errorf("%q is not a number", clip(raw))
	}
	if neg {
		v = -v
	}
	if unit == model.Count {
		switch {
		case v < 0:
			return 0, fmt.Errorf("%s is negative: a count cannot be", raw)
		case v != math.Trunc(v):
			return 0, fmt.Errorf("%s is not a whole number: a count must be", raw)
		}
	}
	return v, nil
}

// plainNumber reads digits with optional comma thousands separators (in
// groups of three) and an optional decimal part. No exponents, no NaN or
// Inf, no "1,5" (a decimal comma would be misread by a factor of 1000).
func plainNumber(s string) (float64, bool) {
	if s == "" {
		return 0, false
	}
	intPart, frac, hasDot := strings.Cut(s, ".")
	if hasDot && (frac == "" && intPart == "" || !allDigits(frac)) {
		return 0, false
	}
	if intPart == "" && !hasDot {
		return 0, false
	}
	if strings.Contains(intPart, ",") {
		groups := strings.Split(intPart, ",")
		if len(groups[0]) < 1 || len(groups[0]) > 3 || !allDigits(groups[0]) {
			return 0, false
		}
		for _, g := range groups[1:] {
			if len(g) != 3 || !allDigits(g) {
				return 0, false
			}
		}
		intPart = strings.ReplaceAll(intPart, ",", "")
	} else if !allDigits(intPart) {
		return 0, false
	}
	num := intPart
	if hasDot {
		num += "." + frac
	}
	if num[0] == '.' {
		num = "0" + num
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ParseDate reads a YYYY-MM-DD date as midnight UTC.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date: write it as YYYY-MM-DD", clip(s))
	}
	return t, nil
}

// ParsePeriodFor reads a period and checks it fits the program's cadence.
func ParsePeriodFor(s string, c model.Cadence) (model.Period, error) {
	p, err := model.ParsePeriod(s)
	if err != nil {
		return model.Period{}, fmt.Errorf("%q is not a period: write a quarter like 2026-Q3 or a half like 2026-H2", clip(strings.TrimSpace(s)))
	}
	if c == "" {
		c = model.Quarterly
	}
	if p.Cad != c {
		kind := "a quarter"
		if p.Cad == model.HalfYearly {
			kind = "a half-year"
		}
		return model.Period{}, fmt.Errorf("%s is %s, but the program's cadence is %s", p, kind, c)
	}
	return p, nil
}
