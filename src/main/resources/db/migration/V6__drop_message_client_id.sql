-- Nothing ever wrote a client id: /v1/match echoes the client's message ids without storing them, and stored
-- messages are known by the ids the service gives them.
alter table conversation_message drop column client_id;
