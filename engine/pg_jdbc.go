package engine

// The information_schema views of constraints that pgJDBC-based tools read besides the core
// ones: Metabase's describe-fields joins table_constraints with key_column_usage to find
// primary keys, and DBeaver's generic metadata reads referential_constraints and
// constraint_column_usage. Quarry tables have no constraints, so the views are empty; their
// columns are PostgreSQL 15's, in its order, so SELECT * and joins on them bind.
var jdbcSystemTables = []*sysTable{
	{schema: infoSchema, name: "table_constraints", kind: "v", cols: cols(
		"constraint_catalog string", "constraint_schema string", "constraint_name string",
		"table_catalog string", "table_schema string", "table_name string", "constraint_type string",
		"is_deferrable string", "initially_deferred string", "enforced string",
		"nulls_distinct string null"), rows: noRows},
	{schema: infoSchema, name: "key_column_usage", kind: "v", cols: cols(
		"constraint_catalog string", "constraint_schema string", "constraint_name string",
		"table_catalog string", "table_schema string", "table_name string", "column_name string",
		"ordinal_position int", "position_in_unique_constraint int null"), rows: noRows},
	{schema: infoSchema, name: "referential_constraints", kind: "v", cols: cols(
		"constraint_catalog string", "constraint_schema string", "constraint_name string",
		"unique_constraint_catalog string null", "unique_constraint_schema string null",
		"unique_constraint_name string null", "match_option string", "update_rule string",
		"delete_rule string"), rows: noRows},
	{schema: infoSchema, name: "constraint_column_usage", kind: "v", cols: cols(
		"table_catalog string", "table_schema string", "table_name string", "column_name string",
		"constraint_catalog string", "constraint_schema string", "constraint_name string"), rows: noRows},
}
