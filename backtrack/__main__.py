from backtrack.cli import main

main()
