"""The accounts app's views, one module per area: `account` (sign-up, email, profile, sharing,
"My data", deleting the account), `notifications` (digest opt-in and unsubscribe) and `teams`.
The URL files import these modules by name; nothing else imports a view module."""
