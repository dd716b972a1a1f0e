package sql

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// Tag returns the command word PostgreSQL reports in CommandComplete for st (without a row
// count: pgwire appends that). It follows PostgreSQL's CreateCommandTag, with two choices
// made for what a client sees at the end:
//   - CREATE TABLE AS, SELECT INTO and CREATE MATERIALIZED VIEW give "SELECT", because
//     PostgreSQL completes them with "SELECT n";
//   - SHOW, DESCRIBE and the other Hive statements that return rows give "SELECT".
//
// An *EmptyStmt has no tag ("").
func Tag(st Statement) string {
	switch s := st.(type) {
	case *EmptyStmt:
		return ""
	case *PGStmt:
		return pgTag(s)
	case *CreateExternalTable:
		return "CREATE TABLE"
	case *CreateDatabase:
		return "CREATE SCHEMA"
	case *DropTable:
		return "DROP TABLE"
	case *DropDatabase:
		return "DROP SCHEMA"
	case *ShowDatabases, *ShowTables, *ShowPartitions, *ShowCreateTable, *ShowColumns, *Describe:
		return "SELECT"
	case *MsckRepair:
		return "MSCK REPAIR TABLE"
	case *AlterTableAddPartitions, *AlterTableDropPartitions:
		return "ALTER TABLE"
	}
	return ""
}

func pgTag(st *PGStmt) string {
	switch n := st.Node.GetNode().(type) {
	case *pg_query.Node_SelectStmt:
		return "SELECT"
	case *pg_query.Node_InsertStmt:
		return "INSERT"
	case *pg_query.Node_UpdateStmt:
		return "UPDATE"
	case *pg_query.Node_DeleteStmt:
		return "DELETE"
	case *pg_query.Node_MergeStmt:
		return "MERGE"
	case *pg_query.Node_CreateTableAsStmt:
		return "SELECT"
	case *pg_query.Node_CreateStmt:
		return "CREATE TABLE"
	case *pg_query.Node_CreateSchemaStmt:
		return "CREATE SCHEMA"
	case *pg_query.Node_ViewStmt:
		return "CREATE VIEW"
	case *pg_query.Node_IndexStmt:
		return "CREATE INDEX"
	case *pg_query.Node_CreatedbStmt:
		return "CREATE DATABASE"
	case *pg_query.Node_DropdbStmt:
		return "DROP DATABASE"
	case *pg_query.Node_CreateRoleStmt:
		return "CREATE ROLE"
	case *pg_query.Node_AlterRoleStmt, *pg_query.Node_AlterRoleSetStmt:
		return "ALTER ROLE"
	case *pg_query.Node_DropRoleStmt:
		return "DROP ROLE"
	case *pg_query.Node_CreateSeqStmt:
		return "CREATE SEQUENCE"
	case *pg_query.Node_AlterSeqStmt:
		return "ALTER SEQUENCE"
	case *pg_query.Node_CreateExtensionStmt:
		return "CREATE EXTENSION"
	case *pg_query.Node_CreateFunctionStmt:
		if n.CreateFunctionStmt.GetIsProcedure() {
			return "CREATE PROCEDURE"
		}
		return "CREATE FUNCTION"
	case *pg_query.Node_CreateTrigStmt:
		return "CREATE TRIGGER"
	case *pg_query.Node_CreateDomainStmt:
		return "CREATE DOMAIN"
	case *pg_query.Node_CompositeTypeStmt, *pg_query.Node_CreateEnumStmt, *pg_query.Node_CreateRangeStmt:
		return "CREATE TYPE"
	case *pg_query.Node_AlterEnumStmt:
		return "ALTER TYPE"
	case *pg_query.Node_CreateForeignTableStmt:
		return "CREATE FOREIGN TABLE"
	case *pg_query.Node_DefineStmt:
		return "CREATE " + objectWord(n.DefineStmt.GetKind())
	case *pg_query.Node_DropStmt:
		return "DROP " + objectWord(n.DropStmt.GetRemoveType())
	case *pg_query.Node_AlterTableStmt:
		return "ALTER " + objectWord(n.AlterTableStmt.GetObjtype())
	case *pg_query.Node_RenameStmt:
		t := n.RenameStmt.GetRenameType()
		if t == pg_query.ObjectType_OBJECT_COLUMN || t == pg_query.ObjectType_OBJECT_TABCONSTRAINT ||
			t == pg_query.ObjectType_OBJECT_ATTRIBUTE {
			t = n.RenameStmt.GetRelationType()
		}
		return "ALTER " + objectWord(t)
	case *pg_query.Node_AlterOwnerStmt:
		return "ALTER " + objectWord(n.AlterOwnerStmt.GetObjectType())
	case *pg_query.Node_AlterObjectSchemaStmt:
		return "ALTER " + objectWord(n.AlterObjectSchemaStmt.GetObjectType())
	case *pg_query.Node_AlterDatabaseStmt, *pg_query.Node_AlterDatabaseSetStmt:
		return "ALTER DATABASE"
	case *pg_query.Node_AlterSystemStmt:
		return "ALTER SYSTEM"
	case *pg_query.Node_AlterDefaultPrivilegesStmt:
		return "ALTER DEFAULT PRIVILEGES"
	case *pg_query.Node_TruncateStmt:
		return "TRUNCATE TABLE"
	case *pg_query.Node_CommentStmt:
		return "COMMENT"
	case *pg_query.Node_LockStmt:
		return "LOCK TABLE"
	case *pg_query.Node_GrantStmt:
		if n.GrantStmt.GetIsGrant() {
			return "GRANT"
		}
		return "REVOKE"
	case *pg_query.Node_GrantRoleStmt:
		if n.GrantRoleStmt.GetIsGrant() {
			return "GRANT ROLE"
		}
		return "REVOKE ROLE"
	case *pg_query.Node_VariableSetStmt:
		switch n.VariableSetStmt.GetKind() {
		case pg_query.VariableSetKind_VAR_RESET, pg_query.VariableSetKind_VAR_RESET_ALL:
			return "RESET"
		}
		return "SET"
	case *pg_query.Node_VariableShowStmt:
		return "SHOW"
	case *pg_query.Node_TransactionStmt:
		return transactionTag(n.TransactionStmt.GetKind())
	case *pg_query.Node_ExplainStmt:
		return "EXPLAIN"
	case *pg_query.Node_CopyStmt:
		return "COPY"
	case *pg_query.Node_PrepareStmt:
		return "PREPARE"
	case *pg_query.Node_ExecuteStmt:
		return "EXECUTE"
	case *pg_query.Node_DeallocateStmt:
		if n.DeallocateStmt.GetIsall() {
			return "DEALLOCATE ALL"
		}
		return "DEALLOCATE"
	case *pg_query.Node_DeclareCursorStmt:
		return "DECLARE CURSOR"
	case *pg_query.Node_FetchStmt:
		if n.FetchStmt.GetIsmove() {
			return "MOVE"
		}
		return "FETCH"
	case *pg_query.Node_ClosePortalStmt:
		if n.ClosePortalStmt.GetPortalname() == "" {
			return "CLOSE CURSOR ALL"
		}
		return "CLOSE CURSOR"
	case *pg_query.Node_DiscardStmt:
		switch n.DiscardStmt.GetTarget() {
		case pg_query.DiscardMode_DISCARD_PLANS:
			return "DISCARD PLANS"
		case pg_query.DiscardMode_DISCARD_SEQUENCES:
			return "DISCARD SEQUENCES"
		case pg_query.DiscardMode_DISCARD_TEMP:
			return "DISCARD TEMP"
		}
		return "DISCARD ALL"
	case *pg_query.Node_VacuumStmt:
		if n.VacuumStmt.GetIsVacuumcmd() {
			return "VACUUM"
		}
		return "ANALYZE"
	case *pg_query.Node_DoStmt:
		return "DO"
	case *pg_query.Node_CallStmt:
		return "CALL"
	case *pg_query.Node_ListenStmt:
		return "LISTEN"
	case *pg_query.Node_UnlistenStmt:
		return "UNLISTEN"
	case *pg_query.Node_NotifyStmt:
		return "NOTIFY"
	case *pg_query.Node_CheckPointStmt:
		return "CHECKPOINT"
	case *pg_query.Node_RefreshMatViewStmt:
		return "REFRESH MATERIALIZED VIEW"
	case *pg_query.Node_ConstraintsSetStmt:
		return "SET CONSTRAINTS"
	case *pg_query.Node_LoadStmt:
		return "LOAD"
	case *pg_query.Node_ReindexStmt:
		return "REINDEX"
	case *pg_query.Node_ClusterStmt:
		return "CLUSTER"
	}
	// A statement Quarry does not run: its leading words are as good a tag as any
	// (PostgreSQL would say "???" only for a node it does not know either).
	return leadingWords(st.SQL)
}

func transactionTag(k pg_query.TransactionStmtKind) string {
	switch k {
	case pg_query.TransactionStmtKind_TRANS_STMT_BEGIN:
		return "BEGIN"
	case pg_query.TransactionStmtKind_TRANS_STMT_START:
		return "START TRANSACTION"
	case pg_query.TransactionStmtKind_TRANS_STMT_COMMIT:
		return "COMMIT"
	case pg_query.TransactionStmtKind_TRANS_STMT_ROLLBACK, pg_query.TransactionStmtKind_TRANS_STMT_ROLLBACK_TO:
		return "ROLLBACK"
	case pg_query.TransactionStmtKind_TRANS_STMT_SAVEPOINT:
		return "SAVEPOINT"
	case pg_query.TransactionStmtKind_TRANS_STMT_RELEASE:
		return "RELEASE"
	case pg_query.TransactionStmtKind_TRANS_STMT_PREPARE:
		return "PREPARE TRANSACTION"
	case pg_query.TransactionStmtKind_TRANS_STMT_COMMIT_PREPARED:
		return "COMMIT PREPARED"
	case pg_query.TransactionStmtKind_TRANS_STMT_ROLLBACK_PREPARED:
		return "ROLLBACK PREPARED"
	}
	return "BEGIN"
}

// objectWords are the object names whose SQL spelling is not their enum name.
var objectWords = map[pg_query.ObjectType]string{
	pg_query.ObjectType_OBJECT_MATVIEW:         "MATERIALIZED VIEW",
	pg_query.ObjectType_OBJECT_FDW:             "FOREIGN DATA WRAPPER",
	pg_query.ObjectType_OBJECT_FOREIGN_SERVER:  "SERVER",
	pg_query.ObjectType_OBJECT_LARGEOBJECT:     "LARGE OBJECT",
	pg_query.ObjectType_OBJECT_OPCLASS:         "OPERATOR CLASS",
	pg_query.ObjectType_OBJECT_OPFAMILY:        "OPERATOR FAMILY",
	pg_query.ObjectType_OBJECT_STATISTIC_EXT:   "STATISTICS",
	pg_query.ObjectType_OBJECT_TSCONFIGURATION: "TEXT SEARCH CONFIGURATION",
	pg_query.ObjectType_OBJECT_TSDICTIONARY:    "TEXT SEARCH DICTIONARY",
	pg_query.ObjectType_OBJECT_TSPARSER:        "TEXT SEARCH PARSER",
	pg_query.ObjectType_OBJECT_TSTEMPLATE:      "TEXT SEARCH TEMPLATE",
	pg_query.ObjectType_OBJECT_DOMCONSTRAINT:   "DOMAIN",
	pg_query.ObjectType_OBJECT_TABCONSTRAINT:   "TABLE",
}

// objectWord spells an object type as SQL does: OBJECT_FOREIGN_TABLE is FOREIGN TABLE.
func objectWord(t pg_query.ObjectType) string {
	if w, ok := objectWords[t]; ok {
		return w
	}
	return strings.ReplaceAll(strings.TrimPrefix(t.String(), "OBJECT_"), "_", " ")
}

// leadingWords returns the first word of sql upper-cased, with the second for CREATE,
// ALTER and DROP.
func leadingWords(sql string) string {
	l := &lexer{src: sql}
	var words []string
	for t := l.next(); t.kind == tkWord && len(words) < 2; t = l.next() {
		words = append(words, strings.ToUpper(t.text))
		if w := words[0]; w != "CREATE" && w != "ALTER" && w != "DROP" {
			break
		}
	}
	return strings.Join(words, " ")
}
