package csvin

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/partnertiers/partnertiers/model"
)

// DealColumns maps a deal or opportunity export's columns, and says which
// stages are won or lost and how dates are written.
type DealColumns struct {
	ID, Partner, Amount, Stage, Created, Closed string
	// Sourced is the column marking a partner-sourced deal (true, yes, 1
	// or x); other deals are influenced. Blank: every deal is influenced.
	Sourced string
	// Registered is the deal registration date column; optional in the file.
	Registered string
	// WonStages and LostStages are matched ignoring case; other stages are open.
	WonStages, LostStages []string
	// DateFormat is "auto" (ISO, then US m/d/yyyy), "iso", "us", or a Go
	// time layout.
	DateFormat string
}

// DefaultDealColumns are the column names of a Salesforce opportunity report.
func DefaultDealColumns() DealColumns {
	return DealColumns{
		ID:         "Opportunity ID",
		Partner:    "Partner Account",
		Amount:     "Amount",
		Stage:      "Stage",
		Created:    "Created Date",
		Closed:     "Close Date",
		Sourced:    "Partner Sourced",
		Registered: "Deal Registration Date",
		WonStages:  []string{"Closed Won"},
		LostStages: []string{"Closed Lost"},
		DateFormat: "auto",
	}
}

// Deals is a parsed deals export.
type Deals struct {
	File string
	// Columns are the mapped headers as the file writes them, by field
	// name ("id", "partner", "amount", ...).
	Columns map[string]string
	// Rows holds one row per deal id, the later row winning, in the order
	// the ids first appear.
	Rows []DealRow
	// Bad lists the rows that could not be read, in line order.
	Bad []RowError
	// Warnings lists rows read with a caveat (a blank amount counted as
	// zero; a deal id seen again; a direct deal skipped).
	Warnings []RowError
	// Direct counts the rows without a partner: read, and skipped.
	Direct int
	// DirectIDs are the deals whose latest row in the file has no partner:
	// a deal an earlier export gave a partner no longer counts for it.
	DirectIDs []string
}

// DealRow is one deal and the line it was read from. Deal.Partner is the
// partner cell as written, cleaned.
type DealRow struct {
	Line int
	model.Deal
}

// Deal field names, as used in Deals.Columns.
const (
	DealID         = "id"
	DealPartner    = "partner"
	DealAmount     = "amount"
	DealStage      = "stage"
	DealCreated    = "created"
	DealClosed     = "closed"
	DealSourced    = "sourced"
	DealRegistered = "registered"
)

// ParseDeals reads a CRM deal or opportunity export, one row per deal. A
// missing mapped column (every one but Registered) is a file error naming
// it and listing the file's columns, returned as a *RowError; so is a bad
// header. Negative amounts, unparseable dates, blank ids or partners and a
// won or lost deal without a close date are bad rows; a blank amount is
// zero with a warning. The same deal id twice keeps the later row.
func ParseDeals(name string, data []byte, cols DealColumns) (Deals, error) {
	fields := []struct {
		key, column string
		required    bool
	}{
		{DealID, cols.ID, true},
		{DealPartner, cols.Partner, true},
		{DealAmount, cols.Amount, true},
		{DealStage, cols.Stage, true},
		{DealCreated, cols.Created, true},
		{DealClosed, cols.Closed, true},
		{DealSourced, cols.Sourced, false},
		{DealRegistered, cols.Registered, false},
	}
	for _, f := range fields {
		if f.required && strings.TrimSpace(f.column) == "" {
			return Deals{}, fmt.Errorf("deal columns: no column is mapped for %s", f.key)
		}
	}
	parseDate, err := dateParser(cols.DateFormat)
	if err != nil {
		return Deals{}, err
	}
	won := stageSet(cols.WonStages)
	lost := stageSet(cols.LostStages)

	ds := Deals{File: name, Columns: map[string]string{}}
	at := map[string]int{}
	var h *header
	index := map[string]int{}   // deal id → position in ds.Rows
	direct := map[string]bool{} // deal ids whose latest row has no partner
	err = readCSV(name, data,
		func(hd *header) error {
			h = hd
			for _, f := range fields {
				key := strings.ToLower(strings.TrimSpace(f.column))
				if key == "" {
					continue
				}
				i, ok := hd.index[key]
				if !ok {
					if f.key == DealRegistered {
						continue
					}
					return &RowError{File: name, Line: 1, Column: strings.TrimSpace(f.column),
						Reason: "required column is missing (the file has " + joinOr(quoted(hd.names)) + ")"}
				}
				at[f.key] = i
				ds.Columns[f.key] = hd.names[i]
			}
			return nil
		},
		func(rec record) error {
			if e := extraCells(name, h, rec); e != nil {
				ds.Bad = append(ds.Bad, *e)
				return nil
			}
			bad := func(key, reason string) error {
				ds.Bad = append(ds.Bad, RowError{File: name, Line: rec.lineOf(at[key]), Column: ds.Columns[key], Reason: reason})
				return nil
			}
			row := DealRow{Line: rec.line()}
			id, e := text(name, rec, at[DealID], ds.Columns[DealID])
			if e != nil {
				ds.Bad = append(ds.Bad, *e)
				return nil
			}
			if id == "" {
				return bad(DealID, "required: the deal's id")
			}
			row.ID = id
			partner, e := text(name, rec, at[DealPartner], ds.Columns[DealPartner])
			if e != nil {
				ds.Bad = append(ds.Bad, *e)
				return nil
			}
			if partner == "" {
				// A full CRM export holds direct deals too: no partner, not
				// partner production. Skipped with a note, not a bad row.
				ds.Warnings = append(ds.Warnings, RowError{File: name, Line: rec.lineOf(at[DealPartner]), Column: ds.Columns[DealPartner],
					Reason: "no partner: a direct deal, skipped"})
				ds.Direct++
				direct[id] = true
				// The later row wins here too: a deal that became direct
				// no longer counts for the partner an earlier row named.
				if j, dup := index[id]; dup {
					ds.Rows[j].Partner = "" // dropped below
					delete(index, id)
				}
				return nil
			}
			row.Partner = partner
			amount := strings.TrimSpace(rec.cell(at[DealAmount]))
			if amount == "" {
				ds.Warnings = append(ds.Warnings, RowError{File: name, Line: rec.lineOf(at[DealAmount]), Column: ds.Columns[DealAmount],
					Reason: "blank amount: counted as zero"})
			} else {
				v, err := ParseAmount(amount)
				if err != nil {
					return bad(DealAmount, err.Error())
				}
				row.Amount = v
			}
			stage := strings.ToLower(strings.TrimSpace(rec.cell(at[DealStage])))
			switch {
			case won[stage]:
				row.Stage = model.StageWon
			case lost[stage]:
				row.Stage = model.StageLost
			default:
				row.Stage = model.StageOpen
			}
			for _, d := range []struct {
				key string
				to  *time.Time
			}{{DealCreated, &row.Created}, {DealClosed, &row.Closed}, {DealRegistered, &row.Registered}} {
				i, ok := at[d.key]
				if !ok {
					continue
				}
				cell := strings.TrimSpace(rec.cell(i))
				if cell == "" {
					continue
				}
				t, err := parseDate(cell)
				if err != nil {
					return bad(d.key, err.Error())
				}
				*d.to = t
			}
			if row.Created.IsZero() {
				return bad(DealCreated, "required: the date the deal was created")
			}
			if row.Stage != model.StageOpen && row.Closed.IsZero() {
				return bad(DealClosed, fmt.Sprintf("required for a %s deal: the date it closed", row.Stage))
			}
			if i, ok := at[DealSourced]; ok {
				switch strings.ToLower(strings.TrimSpace(rec.cell(i))) {
				case "true", "yes", "1", "x":
					row.Sourced = true
				}
			}
			delete(direct, id)
			if j, dup := index[id]; dup {
				ds.Warnings = append(ds.Warnings, RowError{File: name, Line: row.Line, Column: ds.Columns[DealID],
					Reason: fmt.Sprintf("deal %q appears again (first on line %d): this later row counts", clip(id), ds.Rows[j].Line)})
				ds.Rows[j] = row
				return nil
			}
			index[id] = len(ds.Rows)
			ds.Rows = append(ds.Rows, row)
			return nil
		})
	if err != nil {
		return Deals{}, err
	}
	ds.Rows = slices.DeleteFunc(ds.Rows, func(r DealRow) bool { return r.Partner == "" })
	for id := range direct {
		ds.DirectIDs = append(ds.DirectIDs, id)
	}
	slices.Sort(ds.DirectIDs)
	return ds, nil
}

// ParseAmount reads a deal amount: money as ParseNumber reads it, with an
// optional three-letter currency code before or after ("USD 1,234",
// "1,234 EUR"). Negative amounts are an error.
func ParseAmount(s string) (float64, error) {
	raw := strings.TrimSpace(s)
	t := raw
	if len(t) > 3 && isCurrencyCode(t[:3]) {
		t = strings.TrimSpace(t[3:])
	} else if n := len(t); n > 3 && isCurrencyCode(t[n-3:]) {
		t = strings.TrimSpace(t[:n-3])
	}
	v, err := ParseNumber(t, model.Money)
	if err != nil {
		return 0, fmt.Errorf("%q is not an amount", clip(raw))
	}
	if v < 0 {
		return 0, fmt.Errorf("%s is negative: a deal amount cannot be", clip(raw))
	}
	if v > MaxDealAmount {
		// No deal is this large: a cell that is, is a typo or another
		// column; and sums of cents must stay exact in an int64.
		return 0, fmt.Errorf("%s is over %s: not a deal amount", clip(raw), model.FormatValue(model.Money, MaxDealAmount))
	}
	return v, nil
}

// MaxDealAmount is the largest amount a deal may have: a trillion.
const MaxDealAmount = 1e12

func isCurrencyCode(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

func stageSet(stages []string) map[string]bool {
	m := make(map[string]bool, len(stages))
	for _, s := range stages {
		if k := strings.ToLower(strings.TrimSpace(s)); k != "" {
			m[k] = true
		}
	}
	return m
}

func quoted(names []string) []string {
	out := make([]string, 0, len(names))
	for _, n := range names {
		if n != "" {
			out = append(out, fmt.Sprintf("%q", clip(n)))
		}
	}
	if len(out) == 0 {
		out = append(out, "no named columns")
	}
	return out
}

var (
	isoLayouts = []string{time.DateOnly, time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04"}
	usLayouts  = []string{"1/2/2006", "1/2/2006 15:04", "1/2/2006 3:04 PM", "1/2/2006 15:04:05", "1/2/2006 3:04:05 PM"}
)

// CheckDateFormat says whether a DealColumns.DateFormat can be used: the
// config checks it when it is read, before any file is.
func CheckDateFormat(format string) error {
	_, err := dateParser(format)
	return err
}

// dateParser returns the date reader for a DateFormat. Dates are kept as
// written: midnight UTC of the day, whatever the time or zone.
func dateParser(format string) (func(string) (time.Time, error), error) {
	var layouts []string
	want := format
	switch f := strings.ToLower(strings.TrimSpace(format)); f {
	case "", "auto":
		layouts, want = append(append([]string{}, isoLayouts...), usLayouts...), "YYYY-MM-DD or M/D/YYYY"
	case "iso":
		layouts, want = isoLayouts, "YYYY-MM-DD"
	case "us":
		layouts, want = usLayouts, "M/D/YYYY"
	default:
		if !strings.Contains(format, "2006") && !strings.Contains(format, "06") {
			return nil, fmt.Errorf("deal columns: date format %q: want auto, iso, us or a Go layout such as 02.01.2006", format)
		}
		layouts = []string{format}
	}
	return func(s string) (time.Time, error) {
		for _, l := range layouts {
			if t, err := time.Parse(l, s); err == nil {
				y, m, d := t.Date()
				if y < 1900 {
					// Year 0 would make the zero period; a year this far
					// back is a typo ("0026" for 2026) or a placeholder.
					return time.Time{}, fmt.Errorf("%q is not a date a deal can have: the year is before 1900", clip(s))
				}
				return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), nil
			}
		}
		return time.Time{}, fmt.Errorf("%q is not a date: write it as %s", clip(s), want)
	}, nil
}
