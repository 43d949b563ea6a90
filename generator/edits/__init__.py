"""Commands that change one record file in place: `laomo revoke`, `laomo deceased`.

They insert a few lines and leave every other byte of the file as it was
(comments, blank lines, odd spacing), print the change as a diff, and put the
file back when the result no longer validates.
"""
