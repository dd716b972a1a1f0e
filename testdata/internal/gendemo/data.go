package main

// The word lists the demo rows are drawn from. A few names carry non-ASCII letters and an
// apostrophe, and a few product names commas and double quotes, on purpose: they show UTF-8
// round trips, SQL string quoting and RFC 4180 quoting in the first queries a user types.

// person is a first or last name with the ASCII spelling its email address uses.
type person struct{ name, ascii string }

var firstNames = []person{
	{"Olivia", "olivia"}, {"Liam", "liam"}, {"Emma", "emma"}, {"Noah", "noah"},
	{"Amelia", "amelia"}, {"Oliver", "oliver"}, {"Ava", "ava"}, {"Elijah", "elijah"},
	{"Sophia", "sophia"}, {"Lucas", "lucas"}, {"Mia", "mia"}, {"Mateo", "mateo"},
	{"Isabella", "isabella"}, {"Hiroshi", "hiroshi"}, {"Aiko", "aiko"}, {"Priya", "priya"},
	{"Arjun", "arjun"}, {"Chloé", "chloe"}, {"Zoë", "zoe"}, {"José", "jose"},
	{"Søren", "soren"}, {"Łukasz", "lukasz"}, {"Ingrid", "ingrid"}, {"Fatima", "fatima"},
	{"Wei", "wei"}, {"Ana", "ana"}, {"Jonas", "jonas"}, {"Lena", "lena"},
	{"Rafael", "rafael"}, {"Camila", "camila"}, {"Ethan", "ethan"}, {"Grace", "grace"},
	{"Yuki", "yuki"}, {"Ravi", "ravi"}, {"Marta", "marta"}, {"Pierre", "pierre"},
}

var lastNames = []person{
	{"Smith", "smith"}, {"Johnson", "johnson"}, {"Williams", "williams"}, {"Brown", "brown"},
	{"Garcia", "garcia"}, {"Miller", "miller"}, {"Davis", "davis"}, {"Martinez", "martinez"},
	{"Müller", "mueller"}, {"Schmidt", "schmidt"}, {"Dubois", "dubois"}, {"Martin", "martin"},
	{"O'Brien", "obrien"}, {"Tanaka", "tanaka"}, {"Sato", "sato"}, {"Sharma", "sharma"},
	{"Patel", "patel"}, {"Silva", "silva"}, {"Santos", "santos"}, {"Nguyen", "nguyen"},
	{"Kowalski", "kowalski"}, {"Jensen", "jensen"}, {"Larsen", "larsen"}, {"Rossi", "rossi"},
	{"García", "garcia"}, {"Fernández", "fernandez"}, {"Chen", "chen"}, {"Wang", "wang"},
	{"de Vries", "devries"}, {"Novak", "novak"}, {"Taylor", "taylor"}, {"Wilson", "wilson"},
}

// country is a customer's country with its share of customers (weights sum to 100) and the
// top-level domain its email addresses use.
type country struct {
	name   string
	weight int
	tld    string
}

var countries = []country{
	{"United States", 30, "com"},
	{"Germany", 12, "de"},
	{"United Kingdom", 10, "co.uk"},
	{"France", 9, "fr"},
	{"India", 8, "in"},
	{"Brazil", 7, "com.br"},
	{"Japan", 6, "jp"},
	{"Canada", 6, "ca"},
	{"Australia", 5, "com.au"},
	{"Spain", 4, "es"},
	{"Netherlands", 3, "nl"},
}

// category is a product category: its products with their list prices in cents, and the
// variants each product comes in ("" is the plain product).
type category struct {
	name     string
	products []item
	variants []string
}

type item struct {
	name  string
	cents int
}

var categories = []category{
	{
		name:     "Books",
		variants: []string{"Paperback", "Hardcover", "E-book"},
		products: []item{
			{`The "Go" Programming Language`, 3999}, {`SQL for Mere Mortals`, 4499},
			{`Designing Data-Intensive Applications`, 4999}, {`Database Internals`, 4299},
			{`Cooking for Engineers, 2nd Edition`, 2999}, {`The Art of "Doing Nothing"`, 1499},
			{`Parquet, ORC and Arrow: A Field Guide`, 3499}, {`Query Engines from Scratch`, 3999},
			{`A Short History of Maps`, 1999}, {`Gardening, Month by Month`, 2499},
			{`The Little Book of "Why"`, 999}, {`Trains, Boats and Planes`, 1799},
		},
	},
	{
		name:     "Electronics",
		variants: []string{"", "Black", "White"},
		products: []item{
			{`Cable, USB-C to USB-C, 2 m`, 1299}, {`Wireless Mouse`, 2999}, {`27" 4K Monitor`, 34999},
			{`Mechanical Keyboard`, 8999}, {`Noise-Cancelling Headphones`, 24999}, {`Charger, 65 W`, 3999},
			{`Webcam, 1080p`, 5999}, {`Portable SSD, 1 TB`, 10999}, {`Smart Speaker`, 7999},
			{`E-reader, 6"`, 12999}, {`Desk Lamp, LED`, 3499}, {`Power Bank, 20,000 mAh`, 4599},
		},
	},
	{
		name:     "Home & Kitchen",
		variants: []string{"", "Small", "Large"},
		products: []item{
			{`12" Frying Pan`, 3999}, {`Chef's Knife, 8"`, 5999}, {`French Press`, 2999},
			{`Cutting Board, Bamboo`, 1999}, {`Kettle`, 4499}, {`Storage Jars, Set of 4`, 2499},
			{`Tea Towels, Set of 3`, 1299}, {`Cast Iron Skillet`, 4999}, {`Salad Bowl`, 2299},
			{`Mixing Bowls, Nested`, 3299}, {`Coffee Grinder`, 5499}, {`Apron "Chef"`, 1599},
		},
	},
	{
		name:     "Toys",
		variants: []string{"", "Classic", "Deluxe"},
		products: []item{
			{`Building Blocks, 500 pieces`, 3999}, {`Puzzle "Night Sky", 1000 pieces`, 1999},
			{`Wooden Train Set`, 5999}, {`Kite`, 1499}, {`Board Game "Harbors"`, 3499},
			{`Plush Bear`, 1999}, {`Marble Run`, 4499}, {`Card Game "Seven Seas"`, 1299},
			{`Toy Kitchen`, 8999}, {`Paint Set, 24 colors`, 1799}, {`Jump Rope`, 799},
			{`Remote Control Car`, 6999},
		},
	},
	{
		name:     "Garden",
		variants: []string{"", "Standard", "Pro"},
		products: []item{
			{`Garden Hose, 25 m`, 3999}, {`Pruning Shears`, 2499}, {`Seed Mix "Wildflowers"`, 599},
			{`Watering Can`, 1999}, {`Raised Bed Kit`, 8999}, {`Gloves, Leather`, 1499},
			{`Bird Feeder`, 2299}, {`Compost Bin`, 6999}, {`Trowel`, 999},
			{`Solar Lights, Set of 6`, 2999}, {`Rake`, 2799}, {`Plant Pots, Set of 3`, 1899},
		},
	},
	{
		name:     "Sports",
		variants: []string{"", "Blue", "Red"},
		products: []item{
			{`Yoga Mat`, 2999}, {`Running Shoes`, 11999}, {`Water Bottle, 750 ml`, 1499},
			{`Tennis Racket`, 8999}, {`Cycling Helmet`, 6999}, {`Resistance Bands, Set of 5`, 1999},
			{`Dumbbells, 2 x 5 kg`, 4999}, {`Jump Rope, Speed`, 1299}, {`Foam Roller`, 2499},
			{`Backpack, 30 l`, 7999}, {`Swim Goggles`, 1799}, {`Football`, 2999},
		},
	},
}

// eventKinds are the kinds of the events table with their shares.
var (
	eventKinds   = []string{"page_view", "search", "add_to_cart", "checkout", "login", "logout"}
	eventWeights = []int{50, 18, 12, 5, 9, 6}
)
