"""Getting send logs in: files (CSV in UTF-8 or CP949/EUC-KR, XLSX) and API batches, all
idempotent on tr_id. ``reading`` turns a file into rows, ``fields`` maps and checks them,
``writer`` stores them (COPY + one upsert on PostgreSQL), ``run`` ties it together."""
