package csvin

import (
	"fmt"
	"math"
	"strings"

	"github.com/partnertiers/partnertiers/model"
)

// ProductionColumns names the columns of a per-partner, per-period
// production file.
type ProductionColumns struct {
	Partner string // default "partner"
	Period  string // default "period"
	// Metrics maps a metric key to its column name; a metric not named
	// here is read from the column named like its key.
	Metrics map[string]string
}

// DefaultProductionColumns are the columns `partner`, `period` and one per
// metric key.
func DefaultProductionColumns() ProductionColumns {
	return ProductionColumns{Partner: "partner", Period: "period"}
}

// Production is a parsed production file.
type Production struct {
	File string
	// Metrics are the metric keys of the file's value columns, in column
	// order; each row's Values line up with them.
	Metrics []string
	// PartnerColumn and PeriodColumn are those headers as the file writes them.
	PartnerColumn, PeriodColumn string
	Rows                        []ProductionRow
	// Bad lists the rows that could not be read, in line order.
	Bad []RowError
	// Outside counts the rows of other periods than the one the file was
	// read for (ParseProductionIn), left out unread.
	Outside int
}

// ProductionRow is one partner's values for one period.
type ProductionRow struct {
	Line    int
	Partner string // as written: an id, name or alias, cleaned
	Period  model.Period
	// Values line up with Production.Metrics; NaN marks a blank cell.
	Values []float64
}

// Absent reports whether v marks a blank cell.
func Absent(v float64) bool { return math.IsNaN(v) }

// ParseProduction reads a production CSV: a partner column, a period
// column, then one column per metric (named by cols). Values follow the
// metric's unit (ParseNumber); periods must fit the program's cadence;
// every column must be known. A problem with the file as a whole is
// returned as a *RowError; problems with rows are listed in
// Production.Bad. Which partner a name means, and duplicate (partner,
// period) rows, are for the store to settle.
func ParseProduction(file string, data []byte, prog *model.Program, cols ProductionColumns) (*Production, error) {
	return ParseProductionIn(file, data, prog, cols, model.Period{})
}

// ParseProductionIn is ParseProduction for one period, when only is set: a
// file without a period column is about only, and in a file with one the
// rows of other periods are counted in Outside and not read further (their
// values are not checked). only must fit the program's cadence.
func ParseProductionIn(file string, data []byte, prog *model.Program, cols ProductionColumns, only model.Period) (*Production, error) {
	if cols.Partner == "" {
		cols.Partner = "partner"
	}
	if cols.Period == "" {
		cols.Period = "period"
	}
	// column name (lower case) → metric key
	want := map[string]string{}
	for _, m := range prog.Metrics {
		name := m.Key
		if c, ok := cols.Metrics[m.Key]; ok && strings.TrimSpace(c) != "" {
			name = c
		}
		key := strings.ToLower(strings.TrimSpace(name))
		if other, dup := want[key]; dup {
			return nil, fmt.Errorf("production columns: metrics %q and %q both read column %q", other, m.Key, name)
		}
		want[key] = m.Key
	}
	for key := range cols.Metrics {
		if _, ok := prog.Metric(key); !ok {
			return nil, fmt.Errorf("production columns: metric %q is not defined in the program", key)
		}
	}
	partnerKey := strings.ToLower(strings.TrimSpace(cols.Partner))
	periodKey := strings.ToLower(strings.TrimSpace(cols.Period))

	pr := &Production{File: file}
	var h *header
	partnerAt, periodAt := -1, -1
	var valueAt []int
	var units []model.Unit
	var colNames []string
	err := readCSV(file, data,
		func(hd *header) error {
			h = hd
			for i, name := range hd.names {
				if name == "" {
					continue
				}
				key := strings.ToLower(name)
				switch {
				case key == partnerKey:
					partnerAt, pr.PartnerColumn = i, name
				case key == periodKey:
					periodAt, pr.PeriodColumn = i, name
				case want[key] != "":
					m, _ := prog.Metric(want[key])
					pr.Metrics = append(pr.Metrics, m.Key)
					valueAt = append(valueAt, i)
					units = append(units, m.Unit)
					colNames = append(colNames, name)
				default:
					return &RowError{File: file, Line: 1, Column: name,
						Reason: "unknown column: not a metric of the program (want " + joinOr(metricColumns(prog, cols)) + ")"}
				}
			}
			if partnerAt < 0 {
				return &RowError{File: file, Line: 1, Column: cols.Partner, Reason: "required column is missing"}
			}
			if periodAt < 0 && only.IsZero() {
				return &RowError{File: file, Line: 1, Column: cols.Period, Reason: "required column is missing"}
			}
			if len(valueAt) == 0 {
				return &RowError{File: file, Line: 1, Column: "header", Reason: "no metric columns (want one or more of " + joinOr(metricColumns(prog, cols)) + ")"}
			}
			return nil
		},
		func(rec record) error {
			if e := extraCells(file, h, rec); e != nil {
				pr.Bad = append(pr.Bad, *e)
				return nil
			}
			row := ProductionRow{Line: rec.line()}
			partner, e := text(file, rec, partnerAt, pr.PartnerColumn)
			if e != nil {
				pr.Bad = append(pr.Bad, *e)
				return nil
			}
			if partner == "" {
				pr.Bad = append(pr.Bad, RowError{File: file, Line: rec.lineOf(partnerAt), Column: pr.PartnerColumn, Reason: "required: which partner the row is for"})
				return nil
			}
			row.Partner = partner
			row.Period = only
			if periodAt >= 0 {
				period := strings.TrimSpace(rec.cell(periodAt))
				if period == "" {
					pr.Bad = append(pr.Bad, RowError{File: file, Line: rec.lineOf(periodAt), Column: pr.PeriodColumn, Reason: "required: which period the row is for"})
					return nil
				}
				p, err := ParsePeriodFor(period, prog.Cadence)
				if err != nil {
					pr.Bad = append(pr.Bad, RowError{File: file, Line: rec.lineOf(periodAt), Column: pr.PeriodColumn, Reason: err.Error()})
					return nil
				}
				if !only.IsZero() && p != only {
					pr.Outside++
					return nil
				}
				row.Period = p
			}
			row.Values = make([]float64, len(valueAt))
			for j, i := range valueAt {
				cell := strings.TrimSpace(rec.cell(i))
				if cell == "" {
					row.Values[j] = math.NaN()
					continue
				}
				v, err := ParseNumber(cell, units[j])
				if err != nil {
					pr.Bad = append(pr.Bad, RowError{File: file, Line: rec.lineOf(i), Column: colNames[j], Reason: err.Error()})
					return nil
				}
				row.Values[j] = v
			}
			pr.Rows = append(pr.Rows, row)
			return nil
		})
	if err != nil {
		return nil, err
	}
	return pr, nil
}

// metricColumns lists the column names the program's metrics are read from.
func metricColumns(prog *model.Program, cols ProductionColumns) []string {
	out := make([]string, len(prog.Metrics))
	for i, m := range prog.Metrics {
		out[i] = m.Key
		if c, ok := cols.Metrics[m.Key]; ok && strings.TrimSpace(c) != "" {
			out[i] = c
		}
	}
	return out
}
