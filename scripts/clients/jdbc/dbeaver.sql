-- DBeaver's introspection SQL, as DBeaver 25.x sends it through pgJDBC on connect and while
-- browsing a schema, replayed by Walk.java. Format: see Walk.Corpus (entries start at "-- name:";
-- "-- bind:" runs the statement as a PreparedStatement with DBeaver's setLong/setString
-- parameters; "-- expect:" checks the result).
-- Sources:
--   [capture] datafusion-contrib/datafusion-postgres datafusion-postgres/tests/dbeaver.rs, a
--             captured DBeaver 25.1.5 connect. The stored copy read for this file has typos in
--             a few strings (pg_settinngs, misspelt keywords); the statements below carry the
--             text DBeaver and pgJDBC actually send (the keyword query is the one in
--             pgJDBC 42.5.5's PgDatabaseMetaData.getSQLKeywords, from the installed jar).
--   [schema]  dbeaver/dbeaver plugins/org.jkiss.dbeaver.ext.postgresql/.../model/PostgreSchema.java
--             (TableCache, attribute, constraint, index, procedure, collation, extension caches)
--             and docs research section 3.3 for the newer partition/pg_depend columns.
--   [questdb] the DBeaver table-list query as captured in QuestDB's pg-wire tests.

-- name: set extra_float_digits
-- source: [capture]
SET extra_float_digits = 3

-- name: set application_name (driver)
-- source: [capture]
SET application_name = 'PostgreSQL JDBC Driver'

-- name: set application_name (DBeaver)
-- source: [capture]
SET application_name = 'DBeaver 25.1.5 - Main <quarry>'

-- name: current schema and session user
-- source: [capture] PostgreExecutionContext
-- expect: rows=1
SELECT current_schema(),session_user

-- name: schema list with descriptions
-- source: [capture] PostgreDatabase.SchemaCache
-- expect: has:conformance, has:demo, has:pg_catalog
SELECT n.oid,n.*,d.description FROM pg_catalog.pg_namespace n LEFT OUTER JOIN pg_catalog.pg_description d ON d.objoid=n.oid AND d.objsubid=0 AND d.classoid='pg_namespace'::regclass ORDER BY nspname

-- name: type 1034 (aclitem[]) lookup
-- source: [capture] pgJDBC TypeInfoCache.getPGType(oid), run for DBeaver's ACL columns
-- expect: rows=1, has:_aclitem
SELECT n.nspname = ANY(current_schemas(true)), n.nspname, t.typname FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON t.typnamespace = n.oid WHERE t.oid = 1034

-- name: type 1034 array check
-- source: [capture] pgJDBC TypeInfoCache.isArray query
-- expect: rows=1, has:_aclitem
SELECT typinput='pg_catalog.array_in'::regproc as is_array, typtype, typname, pg_type.oid   FROM pg_catalog.pg_type   LEFT JOIN (select ns.oid as nspoid, ns.nspname, r.r           from pg_namespace as ns           join ( select s.r, (current_schemas(false))[s.r] as nspname                    from generate_series(1, array_upper(current_schemas(false), 1)) as s(r) ) as r          using ( nspname )        ) as sp     ON sp.nspoid = typnamespace  WHERE pg_type.oid = 1034  ORDER BY sp.r, pg_type.oid DESC

-- name: show search_path
-- source: [capture]
-- expect: rows=1
SHOW search_path

-- name: current database row
-- source: [capture] PostgreDataSource (DBeaver puts the connection's database name here)
-- expect: rows=1, has:quarry
SELECT db.oid,db.* FROM pg_catalog.pg_database db WHERE datname='quarry'

-- name: standard_conforming_strings setting
-- source: [capture]
-- expect: rows=1, has:on
SELECT * FROM pg_catalog.pg_settings where name='standard_conforming_strings'

-- name: SQL keywords
-- source: [capture] pgJDBC 42.5.5 PgDatabaseMetaData.getSQLKeywords (DBeaver's dialect calls it)
-- expect: rows=1
select string_agg(word, ',') from pg_catalog.pg_get_keywords() where word <> ALL ('{a,abs,absolute,action,ada,add,admin,after,all,allocate,alter,always,and,any,are,array,as,asc,asensitive,assertion,assignment,asymmetric,at,atomic,attribute,attributes,authorization,avg,before,begin,bernoulli,between,bigint,binary,blob,boolean,both,breadth,by,c,call,called,cardinality,cascade,cascaded,case,cast,catalog,catalog_name,ceil,ceiling,chain,char,char_length,character,character_length,character_set_catalog,character_set_name,character_set_schema,characteristics,characters,check,checked,class_origin,clob,close,coalesce,cobol,code_units,collate,collation,collation_catalog,collation_name,collation_schema,collect,column,column_name,command_function,command_function_code,commit,committed,condition,condition_number,connect,connection_name,constraint,constraint_catalog,constraint_name,constraint_schema,constraints,constructors,contains,continue,convert,corr,corresponding,count,covar_pop,covar_samp,create,cross,cube,cume_dist,current,current_collation,current_date,current_default_transform_group,current_path,current_role,current_time,current_timestamp,current_transform_group_for_type,current_user,cursor,cursor_name,cycle,data,date,datetime_interval_code,datetime_interval_precision,day,deallocate,dec,decimal,declare,default,defaults,deferrable,deferred,defined,definer,degree,delete,dense_rank,depth,deref,derived,desc,describe,descriptor,deterministic,diagnostics,disconnect,dispatch,distinct,domain,double,drop,dynamic,dynamic_function,dynamic_function_code,each,element,else,end,end-exec,equals,escape,every,except,exception,exclude,excluding,exec,execute,exists,exp,external,extract,false,fetch,filter,final,first,float,floor,following,for,foreign,fortran,found,free,from,full,function,fusion,g,general,get,global,go,goto,grant,granted,group,grouping,having,hierarchy,hold,hour,identity,immediate,implementation,in,including,increment,indicator,initially,inner,inout,input,insensitive,insert,instance,instantiable,int,integer,intersect,intersection,interval,into,invoker,is,isolation,join,k,key,key_member,key_type,language,large,last,lateral,leading,left,length,level,like,ln,local,localtime,localtimestamp,locator,lower,m,map,match,matched,max,maxvalue,member,merge,message_length,message_octet_length,message_text,method,min,minute,minvalue,mod,modifies,module,month,more,multiset,mumps,name,names,national,natural,nchar,nclob,nesting,new,next,no,none,normalize,normalized,not,"null",nullable,nullif,nulls,number,numeric,object,octet_length,octets,of,old,on,only,open,option,options,or,order,ordering,ordinality,others,out,outer,output,over,overlaps,overlay,overriding,pad,parameter,parameter_mode,parameter_name,parameter_ordinal_position,parameter_specific_catalog,parameter_specific_name,parameter_specific_schema,partial,partition,pascal,path,percent_rank,percentile_cont,percentile_disc,placing,pli,position,power,preceding,precision,prepare,preserve,primary,prior,privileges,procedure,public,range,rank,read,reads,real,recursive,ref,references,referencing,regr_avgx,regr_avgy,regr_count,regr_intercept,regr_r2,regr_slope,regr_sxx,regr_sxy,regr_syy,relative,release,repeatable,restart,result,return,returned_cardinality,returned_length,returned_octet_length,returned_sqlstate,returns,revoke,right,role,rollback,rollup,routine,routine_catalog,routine_name,routine_schema,row,row_count,row_number,rows,savepoint,scale,schema,schema_name,scope_catalog,scope_name,scope_schema,scroll,search,second,section,security,select,self,sensitive,sequence,serializable,server_name,session,session_user,set,sets,similar,simple,size,smallint,some,source,space,specific,specific_name,specifictype,sql,sqlexception,sqlstate,sqlwarning,sqrt,start,state,statement,static,stddev_pop,stddev_samp,structure,style,subclass_origin,submultiset,substring,sum,symmetric,system,system_user,table,table_name,tablesample,temporary,then,ties,time,timestamp,timezone_hour,timezone_minute,to,top_level_count,trailing,transaction,transaction_active,transactions_committed,transactions_rolled_back,transform,transforms,translate,translation,treat,trigger,trigger_catalog,trigger_name,trigger_schema,trim,true,type,uescape,unbounded,uncommitted,under,union,unique,unknown,unnamed,unnest,update,upper,usage,user,user_defined_type_catalog,user_defined_type_code,user_defined_type_name,user_defined_type_schema,using,value,values,var_pop,var_samp,varchar,varying,view,when,whenever,where,width_bucket,window,with,within,without,work,write,year,zone}'::text[])

-- name: version
-- source: [capture]
-- expect: rows=1
SELECT version()

-- name: pg_enum probe
-- source: [capture]
-- expect: rows=0
SELECT * FROM pg_catalog.pg_enum WHERE 1<>1 LIMIT 1

-- name: reltype probe
-- source: [capture]
-- expect: rows=0
SELECT reltype FROM pg_catalog.pg_class WHERE 1<>1 LIMIT 1

-- name: data type cache
-- source: [capture] PostgreDataTypeCache
-- expect: rows>=20, has:int4, has:varchar, has:numeric, has:timestamp
SELECT t.oid,t.*,c.relkind,format_type(nullif(t.typbasetype, 0), t.typtypmod) as base_type_name, d.description FROM pg_catalog.pg_type t LEFT OUTER JOIN pg_catalog.pg_type et ON et.oid=t.typelem LEFT OUTER JOIN pg_catalog.pg_class c ON c.oid=t.typrelid LEFT OUTER JOIN pg_catalog.pg_description d ON t.oid=d.objoid WHERE t.typname IS NOT NULL AND (c.relkind IS NULL OR c.relkind = 'c') AND (et.typcategory IS NULL OR et.typcategory <> 'C')

-- name: tables of a schema
-- source: [questdb] capture of DBeaver's PostgreSchema.TableCache lookup; relnamespace bound with setLong
-- bind: nsp:conformance
-- expect: rows=3, has:items, has:events, has:active_items
SELECT c.oid,c.*,d.description,pg_catalog.pg_get_expr(c.relpartbound, c.oid) as partition_expr,  pg_catalog.pg_get_partkeydef(c.oid) as partition_key 
FROM pg_catalog.pg_class c
LEFT OUTER JOIN pg_catalog.pg_description d ON d.objoid=c.oid AND d.objsubid=0 AND d.classoid='pg_class'::regclass
WHERE c.relnamespace=? AND c.relkind not in ('i','I','c')

-- name: tables of a schema (older DBeaver, with inheritance parents)
-- source: [schema] PostgreSchema.TableCache.prepareLookupStatement
-- bind: nsp:conformance
-- expect: rows=3, has:items
SELECT c.oid,c.*,d.description,(select array_agg(i.inhparent) from pg_catalog.pg_inherits i where i.inhrelid = c.oid) parents
FROM pg_catalog.pg_class c
LEFT OUTER JOIN pg_catalog.pg_description d ON d.objoid=c.oid AND d.objsubid=0
WHERE c.relnamespace=? AND c.relkind not in ('i','c')

-- name: table sizes
-- source: research 3.3 (DBeaver statistics read for a schema's tables)
-- bind: nsp:conformance
-- expect: rows=3
select c.oid,pg_catalog.pg_total_relation_size(c.oid) as total_rel_size,pg_catalog.pg_relation_size(c.oid) as rel_size FROM pg_catalog.pg_class c WHERE c.relnamespace=?

-- name: columns of a table
-- source: [schema] PostgreSchema sqlTableChild, with the pg_depend join of newer DBeaver (research 3.3)
-- bind: rel:conformance.items
-- expect: rows>=9, has:price, has:updated
SELECT c.relname,a.*,pg_catalog.pg_get_expr(ad.adbin, ad.adrelid, true) as def_value,dsc.description,dep.objid
FROM pg_catalog.pg_attribute a
INNER JOIN pg_catalog.pg_class c ON (a.attrelid=c.oid)
LEFT OUTER JOIN pg_catalog.pg_attrdef ad ON (a.attrelid=ad.adrelid AND a.attnum = ad.adnum)
LEFT OUTER JOIN pg_catalog.pg_description dsc ON (c.oid=dsc.objoid AND a.attnum = dsc.objsubid)
LEFT OUTER JOIN pg_depend dep on dep.refobjid = a.attrelid AND dep.deptype = 'i' and dep.refobjsubid = a.attnum and dep.classid = dep.refclassid
WHERE NOT a.attisdropped AND c.relkind not in ('i','I','c') AND c.oid=?
ORDER BY a.attnum

-- name: columns of all tables in a schema
-- source: [schema] PostgreSchema.TableCache.prepareChildrenStatement
-- bind: nsp:conformance
-- expect: rows>=17, has:amount
SELECT c.relname,a.*,pg_catalog.pg_get_expr(ad.adbin, ad.adrelid, true) as def_value,dsc.description
FROM pg_catalog.pg_attribute a
INNER JOIN pg_catalog.pg_class c ON (a.attrelid=c.oid)
LEFT OUTER JOIN pg_catalog.pg_attrdef ad ON (a.attrelid=ad.adrelid AND a.attnum = ad.adnum)
LEFT OUTER JOIN pg_catalog.pg_description dsc ON (c.oid=dsc.objoid AND a.attnum = dsc.objsubid)
WHERE NOT a.attisdropped AND c.relnamespace=? AND c.relkind not in ('i','c')  ORDER BY a.attnum

-- name: constraints of a table
-- source: [schema] PostgreSchema.ConstraintCache
-- bind: rel:conformance.items
-- expect: rows=0
SELECT c.oid,c.*,t.relname as tabrelname,rt.relnamespace as refnamespace
FROM pg_catalog.pg_constraint c
INNER JOIN pg_catalog.pg_class t ON t.oid=c.conrelid
LEFT OUTER JOIN pg_catalog.pg_class rt ON rt.oid=c.confrelid
WHERE c.conrelid=?
ORDER BY c.oid

-- name: constraints of a schema
-- source: [schema] PostgreSchema.ConstraintCache, with the check-constraint text of research 3.3
-- bind: nsp:conformance
-- expect: rows=0
SELECT c.oid,c.*,t.relname as tabrelname,rt.relnamespace as refnamespace,d.description, case when c.contype='c' then "substring"(pg_get_constraintdef(c.oid), 7) else null end consrc_copy
FROM pg_catalog.pg_constraint c
INNER JOIN pg_catalog.pg_class t ON t.oid=c.conrelid
LEFT OUTER JOIN pg_catalog.pg_class rt ON rt.oid=c.confrelid
LEFT OUTER JOIN pg_catalog.pg_description d ON d.objoid=c.oid AND d.objsubid=0 AND d.classoid='pg_constraint'::regclass
WHERE t.relnamespace=?
ORDER BY c.oid

-- name: indexes of a table
-- source: [schema] PostgreSchema.IndexCache
-- bind: rel:conformance.items
-- expect: rows=0
SELECT i.*,i.indkey as keys,c.relname,c.relnamespace,c.relam,tc.relname as tabrelname,dsc.description,pg_catalog.pg_get_expr(i.indexprs, i.indrelid, true) as expr
FROM pg_catalog.pg_index i
INNER JOIN pg_catalog.pg_class c ON c.oid=i.indexrelid
INNER JOIN pg_catalog.pg_class tc ON tc.oid=i.indrelid
LEFT OUTER JOIN pg_catalog.pg_description dsc ON i.indexrelid=dsc.objoid
WHERE  i.indrelid=? ORDER BY c.relname

-- name: functions of a schema
-- source: [schema] PostgreSchema.ProceduresCache
-- bind: nsp:conformance
-- expect: rows=0
SELECT p.oid,p.*,d.description
FROM pg_catalog.pg_proc p
LEFT OUTER JOIN pg_catalog.pg_description d ON d.objoid=p.oid
WHERE p.pronamespace=?
ORDER BY p.proname

-- name: collations of a schema
-- source: [schema] PostgreSchema.CollationCache
-- bind: nsp:pg_catalog
SELECT c.oid,c.* FROM pg_catalog.pg_collation c 
WHERE c.collnamespace=?
ORDER BY c.oid

-- name: extensions of a schema
-- source: [schema] PostgreSchema.ExtensionCache
-- bind: nsp:public
-- expect: rows=0
SELECT e.oid,e.* FROM pg_catalog.pg_extension e 
WHERE e.extnamespace=?
ORDER BY e.oid

-- name: data preview
-- source: DBeaver's data editor (first page of a table, LIMIT added by DBeaver)
-- expect: rows=10, has:anvil
SELECT * FROM conformance.items
LIMIT 200
