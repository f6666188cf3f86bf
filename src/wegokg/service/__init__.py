"""The service layer: ``Workspace``, everything the command line does, for library users too.

It stands between the server and the jobs below it (validation, publish, curate, query), so that
the command line and the server only parse, call one method and print."""
