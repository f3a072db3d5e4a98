"""Hooks of the security tests. Their browser tests live in tests/browser, beside the one
chromium every browser test shares."""


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    # The leak matrix counts the cells it checked; issue 7 asks to show how many.
    import sys

    leak_checks = sys.modules.get("tests.security.leak_checks")
    if leak_checks is not None and leak_checks.CELLS["checked"]:
        cells = leak_checks.CELLS["checked"]
        terminalreporter.write_sep("=", f"leak matrix: {cells} cells checked")
