package sample

// The generator's word lists. A name is a prefix and a suffix made one word
// ("Amberbrook"), then a kind ("Systems"): 64 × 32 × 16 names before a
// number is needed. No word makes "north", "brightpath" or "vantage", so the
// sample's stories stay unique if the two are ever mixed.

type word struct{ title, lower string }

var namePrefixes = [64]word{
	{"Amber", "amber"}, {"Ash", "ash"}, {"Aspen", "aspen"}, {"Birch", "birch"},
	{"Black", "black"}, {"Blue", "blue"}, {"Briar", "briar"}, {"Cedar", "cedar"},
	{"Clear", "clear"}, {"Cobalt", "cobalt"}, {"Copper", "copper"}, {"Coral", "coral"},
	{"Crane", "crane"}, {"Crystal", "crystal"}, {"Deer", "deer"}, {"Dove", "dove"},
	{"Eagle", "eagle"}, {"Elder", "elder"}, {"Elm", "elm"}, {"Ember", "ember"},
	{"Fern", "fern"}, {"Fox", "fox"}, {"Frost", "frost"}, {"Glen", "glen"},
	{"Granite", "granite"}, {"Green", "green"}, {"Grey", "grey"}, {"Hart", "hart"},
	{"Hazel", "hazel"}, {"Heather", "heather"}, {"Holly", "holly"}, {"Iron", "iron"},
	{"Ivy", "ivy"}, {"Jade", "jade"}, {"Juniper", "juniper"}, {"Kestrel", "kestrel"},
	{"Lake", "lake"}, {"Lark", "lark"}, {"Laurel", "laurel"}, {"Linden", "linden"},
	{"Maple", "maple"}, {"Marble", "marble"}, {"Meadow", "meadow"}, {"Mill", "mill"},
	{"Moss", "moss"}, {"Oak", "oak"}, {"Olive", "olive"}, {"Opal", "opal"},
	{"Pine", "pine"}, {"Quarry", "quarry"}, {"Raven", "raven"}, {"Red", "red"},
	{"Rose", "rose"}, {"Rowan", "rowan"}, {"Sage", "sage"}, {"Salt", "salt"},
	{"Sand", "sand"}, {"Slate", "slate"}, {"Spruce", "spruce"}, {"Stone", "stone"},
	{"Thistle", "thistle"}, {"Timber", "timber"}, {"Willow", "willow"}, {"Wren", "wren"},
}

var nameSuffixes = [32]string{
	"brook", "field", "gate", "wood", "ridge", "crest", "haven", "mere",
	"vale", "wick", "ford", "hurst", "well", "bridge", "bay", "point",
	"side", "moor", "dale", "mount", "worth", "ton", "leigh", "bourne",
	"combe", "fell", "holm", "shaw", "wold", "hill", "stead", "wyn",
}

var nameKinds = [16]word{
	{"Systems", "systems"}, {"Software", "software"}, {"Analytics", "analytics"}, {"Consulting", "consulting"},
	{"Digital", "digital"}, {"Data", "data"}, {"Labs", "labs"}, {"Networks", "networks"},
	{"Cloud", "cloud"}, {"Partners", "partners"}, {"Solutions", "solutions"}, {"Technologies", "technologies"},
	{"Integrators", "integrators"}, {"Advisory", "advisory"}, {"Group", "group"}, {"Apps", "apps"},
}

// nameStride is odd, so i × nameStride visits every combination once
// before repeating, in an order that mixes all three lists.
const nameStride = 12345
