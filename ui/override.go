package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/partnertiers/partnertiers/model"
)

// The override dialog's fields.
const (
	fieldTier = iota
	fieldReason
)

// dialogAction is what a key did to the dialog.
type dialogAction int

const (
	dialogNone dialogAction = iota
	dialogCancel
	dialogSubmit
)

// dialogLabelWidth is the labels' column: "› Reason   ".
const dialogLabelWidth = 11

// overrideDialog picks another tier for a proposal and asks why. It only
// collects: the Review tab checks the answer and saves it.
type overrideDialog struct {
	c     *common
	prog  *model.Program
	pr    model.Proposal
	tier  int // index into prog.Tiers
	field int
	input textinput.Model
	width int

	err    string // why the last enter was refused, or what the store said
	saving bool   // the override is on its way to the store
}

func newOverrideDialog(c *common, p *model.Program, pr model.Proposal, d model.Decision) *overrideDialog {
	in := textinput.New()
	in.Prompt = ""
	in.Placeholder = "why this tier? it goes in the history"
	in.CharLimit = 500
	in.SetVirtualCursor(false)
	in.SetStyles(c.styles.Input)
	o := &overrideDialog{c: c, prog: p, pr: pr, input: in, tier: defaultOverrideTier(p, pr)}
	if d.Kind == model.Overridden {
		if i := p.TierIndex(d.Tier); i >= 0 {
			o.tier = i
		}
		o.input.SetValue(d.Reason)
		o.input.CursorEnd()
	}
	return o
}

// defaultOverrideTier is the tier an override most likely wants: for a
// move, staying where the partner is; for a grace hold, the demotion it
// put off; for a hold, one step up or down.
func defaultOverrideTier(p *model.Program, pr model.Proposal) int {
	from, earned := p.TierIndex(pr.From), p.TierIndex(pr.Earned)
	last := len(p.Tiers) - 1
	switch {
	case from < 0:
		return max(0, earned)
	case pr.Kind.IsMove():
		return from
	case earned < from:
		return from - 1
	case earned > from:
		return earned
	case from < last:
		return from + 1
	}
	return max(0, from-1)
}

func (o *overrideDialog) tierKey() string { return o.prog.Tiers[o.tier].Key }
func (o *overrideDialog) reason() string  { return o.input.Value() }

func (o *overrideDialog) setWidth(w int) {
	o.width = w
	o.input.SetStyles(o.c.styles.Input)
	o.input.SetWidth(max(4, w-4-dialogLabelWidth-1))
}

// focus moves to a field; the reason's input takes the cursor.
func (o *overrideDialog) focus(field int) tea.Cmd {
	o.field = field
	if field == fieldReason {
		return o.input.Focus()
	}
	o.input.Blur()
	return nil
}

func (o *overrideDialog) step(n int) {
	o.tier = min(max(o.tier+n, 0), len(o.prog.Tiers)-1)
}

func (o *overrideDialog) update(msg tea.Msg) (dialogAction, tea.Cmd) {
	k := o.c.keys
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch {
		case o.saving:
			// The write is under way: esc can no longer take it back, and
			// saying "cancelled" would be false.
			return dialogNone, nil
		case key.Matches(msg, k.DialogCancel):
			return dialogCancel, nil
		case key.Matches(msg, k.DialogField):
			return dialogNone, o.focus(1 - o.field)
		case key.Matches(msg, k.DialogSave):
			if o.field == fieldTier && strings.TrimSpace(o.input.Value()) == "" {
				o.err = ""
				return dialogNone, o.focus(fieldReason)
			}
			return dialogSubmit, nil
		}
		if o.field == fieldTier {
			switch {
			case key.Matches(msg, k.TierLower):
				o.step(-1)
			case key.Matches(msg, k.TierHigher):
				o.step(1)
			}
			return dialogNone, nil
		}
		switch {
		case key.Matches(msg, k.ReasonTierDown):
			o.step(-1)
			return dialogNone, nil
		case key.Matches(msg, k.ReasonTierUp):
			o.step(1)
			return dialogNone, nil
		}
		o.err = ""
		var cmd tea.Cmd
		o.input, cmd = o.input.Update(msg)
		return dialogNone, cmd
	case tea.PasteMsg:
		if o.field == fieldReason && !o.saving {
			var cmd tea.Cmd
			o.input, cmd = o.input.Update(msg)
			return dialogNone, cmd
		}
	}
	return dialogNone, nil
}

// view draws the dialog: o.width cells wide, seven lines with its border.
func (o *overrideDialog) view() []string {
	st, p, pr := o.c.styles, o.prog, o.pr
	inner := max(1, o.width-4)
	label := func(name string, field int) string {
		if field == o.field {
			return st.FieldFocus.Render(fit("› "+name, dialogLabelWidth))
		}
		return st.Field.Render(fit("  "+name, dialogLabelWidth))
	}

	proposed := string(pr.Kind) + " " + p.TierName(pr.From)
	if pr.To != pr.From {
		proposed += " → " + p.TierName(pr.To)
	}
	proposed += " · earns " + p.TierName(pr.Earned)
	lines := []string{st.Field.Render(fit("  Proposed", dialogLabelWidth)) + st.Sentence.Render(proposed)}

	// The tiers, lowest first, as radio buttons.
	var b strings.Builder
	for i, t := range p.Tiers {
		if i > 0 {
			b.WriteString("   ")
		}
		if i == o.tier {
			style := st.Title
			if o.field == fieldTier {
				style = st.FieldFocus
			}
			b.WriteString(style.Render("● " + t.Name))
		} else {
			b.WriteString(st.Muted.Render("○ " + t.Name))
		}
	}
	lines = append(lines, label("Tier", fieldTier)+b.String())
	lines = append(lines, strings.Repeat(" ", dialogLabelWidth)+o.tierNote())

	in := o.input.View()
	if ansi.StringWidth(in) > inner-dialogLabelWidth {
		in = clip(in, inner-dialogLabelWidth)
	}
	lines = append(lines, label("Reason", fieldReason)+in)

	switch {
	case o.saving:
		lines = append(lines, st.Loading.Render("Saving…"))
	case o.err != "":
		lines = append(lines, st.Error.Render(clean(o.err)))
	case o.field == fieldTier:
		lines = append(lines, st.Muted.Render("←/→ picks the tier · enter or tab goes to the reason · esc cancels"))
	default:
		lines = append(lines, st.Muted.Render("enter saves · ↑/↓ picks the tier · tab back to the tier · esc cancels"))
	}
	return box(st, "Override "+clean(pr.Name), lines, o.width)
}

// tierNote says what the picked tier is to this partner.
func (o *overrideDialog) tierNote() string {
	st, p, pr := o.c.styles, o.prog, o.pr
	t := p.Tiers[o.tier]
	var what []string
	if t.Key == pr.From {
		what = append(what, "current")
	}
	if t.Key == pr.To {
		what = append(what, "proposed")
	}
	if t.Key == pr.Earned {
		what = append(what, "earned")
	}
	note := t.Name
	if len(what) > 0 {
		note += ": " + strings.Join(what, ", ") + " tier"
	}
	switch i, e := p.TierIndex(t.Key), p.TierIndex(pr.Earned); {
	case i > e:
		return st.Muted.Render(note+" · ") + st.Upward.Render("↑ above what it earns: marked upward")
	case i < e:
		return st.Muted.Render(note + " · below what it earns (" + p.TierName(pr.Earned) + ")")
	}
	return st.Muted.Render(note)
}

// cursor is the terminal cursor in the reason field, relative to the
// dialog's top left; nil while the tier field has focus.
func (o *overrideDialog) cursor() *tea.Cursor {
	if o.field != fieldReason || o.saving {
		return nil
	}
	c := o.input.Cursor()
	if c == nil {
		return nil
	}
	c.X += 2 + dialogLabelWidth // the border and its space, the label
	c.Y += 4                    // the top border, proposed, tier, note
	return c
}
