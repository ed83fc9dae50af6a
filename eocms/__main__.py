from eocms.cli import main

main()
