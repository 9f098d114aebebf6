from felles.cli import main

main()
