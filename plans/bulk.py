"""
Inserting many new rows at once: PostgreSQL's COPY when the database is PostgreSQL, bulk_create elsewhere.

An import of 10 000 procurements writes 10 000 procurements and 10 000 history entries. bulk_create
spends most of that time in Python, preparing each value and building INSERT statements with tens of
thousands of parameters; COPY streams the rows in psycopg's own (compiled) encoding. The primary keys
are drawn from the table's sequence first, so the objects come back with them, as bulk_create's do on
PostgreSQL, and can be referred to at once (history entries, outcomes).
"""

from django.db import connections, router

# Values of these fields go to COPY as they are (psycopg adapts them); any other field's value is
# prepared by the field itself (a JSONField's becomes JSON).
PLAIN_FIELDS = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "DateField",
    "DateTimeField",
    "DecimalField",
    "ForeignKey",
    "IntegerField",
    "PositiveBigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SlugField",
    "SmallIntegerField",
    "TextField",
}


def bulk_insert(model, objects, *, batch_size: int = 1000) -> list:
    """Insert the (new, unsaved) objects in the order given; returns them with their primary keys.

    Like bulk_create: no save() and no signals; auto_now and auto_now_add are filled in; constraints are
    the database's to check (a violation aborts the whole COPY, and the caller's transaction).
    """
    objects = list(objects)
    using = router.db_for_write(model)
    connection = connections[using]
    if not objects:
        return objects
    if connection.vendor != "postgresql":
        return model.objects.bulk_create(objects, batch_size=batch_size)
    opts = model._meta
    pk = opts.pk
    fields = [field for field in opts.concrete_fields if field is not pk]
    plain = [field.get_internal_type() in PLAIN_FIELDS for field in fields]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in [pk, *fields])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [opts.db_table, pk.column, len(objects)],
        )
        for obj, (value,) in zip(objects, cursor.fetchall(), strict=True):
            setattr(obj, pk.attname, value)
        with cursor.cursor.copy(f"COPY {quote(opts.db_table)} ({columns}) FROM STDIN") as copy:
            for obj in objects:
                row = [getattr(obj, pk.attname)]
                for field, as_is in zip(fields, plain, strict=True):
                    value = field.pre_save(obj, add=True)
                    row.append(value if as_is else field.get_db_prep_save(value, connection))
                copy.write_row(row)
    for obj in objects:
        obj._state.adding = False
        obj._state.db = using
    return objects
