from standardgen.cli import main

main()
