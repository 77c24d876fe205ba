-- The name a person is shown by ("Maria Manager"); NULL: their user name.
ALTER TABLE users ADD COLUMN display_name TEXT;
