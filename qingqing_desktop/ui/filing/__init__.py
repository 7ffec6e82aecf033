"""The current campaign's filing: the campaign itself, 承诺书签订, 自查表, 定稿 and its history."""
