package ui

import "strings"

var sparkBlocks = []rune("▁▂▃▄▅▆▇█")

// sparkline draws values as one block character each, scaled to the largest
// of them. Zero (or less) is the lowest block and any positive value is at
// least the second, so "nothing" never looks like "a little".
func sparkline(values []float64) string {
	if len(values) == 0 {
		return ""
	}
	top := 0.0
	for _, v := range values {
		top = max(top, v)
	}
	var b strings.Builder
	b.Grow(len(values) * 3)
	for _, v := range values {
		if v <= 0 || top <= 0 {
			b.WriteRune(sparkBlocks[0])
			continue
		}
		// Levels 1..7 for positive values.
		lvl := 1 + int(v/top*6+0.5)
		lvl = min(max(lvl, 1), len(sparkBlocks)-1)
		b.WriteRune(sparkBlocks[lvl])
	}
	return b.String()
}

// trendArrow compares the last value with the one before: ↑, ↓ or →.
func trendArrow(values []float64) string {
	if len(values) < 2 {
		return ""
	}
	a, b := values[len(values)-2], values[len(values)-1]
	switch {
	case b > a:
		return "↑"
	case b < a:
		return "↓"
	}
	return "→"
}
